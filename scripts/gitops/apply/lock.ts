import { open, readFile, rm, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { hostname } from 'node:os';
import { isRunning } from '../../cli/index.ts';

interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

/** Another apply holds the lock: this one refuses rather than interleave with it. */
export class LockHeldError extends Error {
  constructor(
    readonly file: string,
    readonly owner: LockOwner | undefined,
  ) {
    super(
      `another apply is running${owner ? ` (pid ${owner.pid} on ${owner.host}, since ${owner.since})` : ''}; ` +
        `wait for it to finish, or delete ${file} if that process is gone`,
    );
    this.name = 'LockHeldError';
  }
}

async function readOwner(file: string): Promise<LockOwner | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

export interface Lock {
  file: string;
  release(): Promise<void>;
}

/**
 * An exclusive lock file (created with O_EXCL, so exactly one apply wins). A lock left by a process
 * that died on this host is taken over; a live one makes this apply fail with {@link LockHeldError}.
 */
export async function acquireLock(file: string): Promise<Lock> {
  await mkdir(dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const handle = await open(file, 'wx');
      const owner: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
      await handle.writeFile(JSON.stringify(owner));
      await handle.close();
      let released = false;
      return {
        file,
        release: async () => {
          if (released) return;
          released = true;
          await rm(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = await readOwner(file);
      const stale = owner !== undefined && owner.host === hostname() && !isRunning(owner.pid);
      if (!stale) throw new LockHeldError(file, owner);
      await rm(file, { force: true });
    }
  }
  throw new LockHeldError(file, await readOwner(file));
}
