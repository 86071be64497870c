/**
 * One edge per state directory: `<stateDir>/edge.lock` holds the owner's pid. The lock is removed
 * on release and, failing that, when the process exits (Miniflare's exit hook ends the process on
 * SIGINT/SIGTERM before any graceful stop runs). A lock left by a process that no longer runs
 * (killed with SIGKILL, crashed) is taken over.
 */
import { readFileSync, rmSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isRunning } from '../../cli/pid.ts';

/** Synchronous (it runs in the 'exit' event): removes the lock only while it still names this process. */
function removeIfOwned(path: string): void {
  try {
    if (Number.parseInt(readFileSync(path, 'utf8'), 10) === process.pid) rmSync(path, { force: true });
  } catch {
    // Already gone: nothing to remove.
  }
}

export interface StateLock {
  release(): Promise<void>;
}

export async function lockStateDir(stateDir: string): Promise<StateLock> {
  await mkdir(stateDir, { recursive: true });
  const path = join(stateDir, 'edge.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      await writeFile(path, `${process.pid}\n`, { flag: 'wx' });
      const removeOnExit = (): void => removeIfOwned(path);
      process.once('exit', removeOnExit);
      return {
        release: async () => {
          process.off('exit', removeOnExit);
          await rm(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(owner) && isRunning(owner)) {
        throw new Error(`another edge (pid ${owner}) is using ${stateDir}; stop it first or pick another --state-dir`);
      }
      await rm(path, { force: true });
    }
  }
  throw new Error(`could not lock ${stateDir} (${path} keeps reappearing)`);
}
