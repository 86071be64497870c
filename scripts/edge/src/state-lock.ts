/**
 * One edge per state directory: `<stateDir>/edge.lock` holds the owner's pid. A lock left by a
 * process that no longer runs (killed, or stopped by a signal) is taken over.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
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
      return { release: () => rm(path, { force: true }) };
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
