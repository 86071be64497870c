/**
 * A test's scratch directory: a fresh temp directory made before a test file's tests (or, with
 * `each`, before each test) and removed after them. Test-only (it registers vitest hooks).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

export interface TempDirOptions {
  /** A directory per test instead of one per file. */
  each?: boolean;
  /** Runs before the directory is removed (e.g. stops a process still writing in it). */
  beforeRemove?: () => Promise<void>;
}

/** Makes `<tmpdir>/<prefix>…` and hands it to `onReady`; removes it afterwards. */
export function withTempDir(prefix: string, onReady: (dir: string) => unknown, options: TempDirOptions = {}): void {
  let dir: string | undefined;
  const make = async (): Promise<void> => {
    dir = await mkdtemp(join(tmpdir(), prefix));
    await onReady(dir);
  };
  const remove = async (): Promise<void> => {
    await options.beforeRemove?.();
    if (dir) await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    dir = undefined;
  };
  if (options.each) {
    beforeEach(make);
    afterEach(remove);
  } else {
    beforeAll(make);
    afterAll(remove);
  }
}
