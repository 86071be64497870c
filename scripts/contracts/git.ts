import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export class GitError extends Error {}

async function git(rootDir: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd: rootDir, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr?.trim() || (error instanceof Error ? error.message : String(error));
    throw new GitError(`git ${args.join(' ')} failed: ${detail}`);
  }
}

/** The commit `ref` names; a clear error when it does not exist here (a shallow CI checkout has to fetch it). */
export async function resolveCommit(rootDir: string, ref: string): Promise<string> {
  try {
    return (await git(rootDir, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).trim();
  } catch {
    throw new GitError(`base ref "${ref}" is not a commit in this repository; fetch it first (e.g. git fetch origin main --depth=1) and pass --base origin/main`);
  }
}

/** A file's text at a commit, or undefined when the commit does not have it. */
export async function fileAt(rootDir: string, commit: string, path: string): Promise<string | undefined> {
  const listed = await git(rootDir, ['ls-tree', '--name-only', commit, '--', path]);
  if (listed.trim() === '') return undefined;
  return git(rootDir, ['show', `${commit}:${path}`]);
}
