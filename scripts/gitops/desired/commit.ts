import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The git commit the desired state is read at, for the `workers/message` annotation:
 * `GITHUB_SHA` in CI, else `.git/HEAD` (following a branch ref) read as a file, else "unknown".
 */
export async function currentCommit(rootDir: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.GITHUB_SHA) return env.GITHUB_SHA;
  try {
    const head = (await readFile(join(rootDir, '.git', 'HEAD'), 'utf8')).trim();
    if (!head.startsWith('ref: ')) return head;
    const ref = head.slice(5);
    try {
      return (await readFile(join(rootDir, '.git', ref), 'utf8')).trim();
    } catch {
      const packed = await readFile(join(rootDir, '.git', 'packed-refs'), 'utf8');
      return packed.split('\n').find((line) => line.endsWith(` ${ref}`))?.split(' ')[0] ?? 'unknown';
    }
  } catch {
    return 'unknown';
  }
}
