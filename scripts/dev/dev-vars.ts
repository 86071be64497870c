import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

/**
 * A service's local secrets from `services/<name>/.dev.vars` (dotenv format, git-ignored), the file
 * `wrangler dev` reads too. Missing file: no secrets.
 */
export async function readDevVars(serviceDir: string): Promise<Record<string, string>> {
  try {
    return parseEnv(await readFile(join(serviceDir, '.dev.vars'), 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}
