/**
 * Durable, private file primitives for the edge's state directory: every write goes to a temporary
 * file in the same directory, is flushed, and is then renamed over the target, so a crash never
 * leaves half a file; files are 0600 and directories 0700.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { readOptionalFile } from '../../../cloudflare/optional-file.ts';

/** Owner-only modes: the state holds the API token and secret values. */
const PRIVATE_FILE_MODE = 0o600;
const PRIVATE_DIRECTORY_MODE = 0o700;

/** Creates `path` (and its parents) readable by its owner only, and makes an existing one so. */
export async function ensurePrivateDirectory(path: string): Promise<void> {
  await mkdir(path, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
  await chmod(path, PRIVATE_DIRECTORY_MODE);
}

/** Flushes a directory entry (a rename) to disk; not every platform can open a directory. */
async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic.
  } finally {
    await handle.close();
  }
}

/** Writes a private file (0600) so that a crash leaves either the old or the new contents: temporary file, fsync, rename, fsync the directory. */
export async function writeFileAtomic(path: string, contents: string | Uint8Array): Promise<void> {
  const directory = dirname(path);
  await mkdir(directory, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
  const temporary = join(directory, `.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx', PRIVATE_FILE_MODE);
    try {
      await handle.writeFile(contents);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(directory);
}

export async function readJsonFile<T>(path: string): Promise<T | undefined> {
  const text = await readOptionalFile(path);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new Error(`edge state file ${path} is not valid JSON (${(error as Error).message}); fix it or start with --reset`);
  }
}
