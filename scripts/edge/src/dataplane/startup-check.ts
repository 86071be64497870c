/**
 * Whether a snapshot's Workers start in workerd, without touching the serving data plane: a
 * throwaway Miniflare (its own temporary storage, no sockets of its own) runs the snapshot and is
 * disposed. Cloudflare runs a Worker's top level at upload and refuses one that throws with 10021,
 * for versions that are not deployed too (https://developers.cloudflare.com/workers/platform/limits/#worker-startup-time).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import type { Snapshot } from '../snapshot.ts';
import { bundleRouterWorker } from './bundle.ts';
import { publicRuntimeLines, withoutHostDetails } from './runtime-message.ts';
import { RuntimeOutput } from './runtime-output.ts';
import { workersForSnapshot } from './worker-options.ts';

/**
 * How long the throwaway workerd may take to start a snapshot before the check gives up on it.
 * Cloudflare allows a Worker 1 s of start-up CPU; this is wall time for every Worker it starts
 * (a version and what it binds) on a possibly loaded machine, so it is far more generous.
 */
export const DEFAULT_STARTUP_DEADLINE_MS = 30_000;

/** A snapshot whose Workers did not start within the deadline (a top-level loop, a start-up that never ends). */
export class StartupDeadlineError extends Error {
  constructor(readonly deadlineMs: number) {
    super(`did not finish starting within ${deadlineMs / 1000} s (a loop or a wait at the top level of a module?); workerd was stopped`);
    this.name = 'StartupDeadlineError';
  }
}

/**
 * Resolves when every Worker of `snapshot` starts; rejects with workerd's reason otherwise, or with
 * a {@link StartupDeadlineError} when they have not started after `deadlineMs`: then the throwaway
 * workerd is killed (Miniflare's dispose aborts the wait for its ports and SIGKILLs the process).
 */
export async function checkStartup(snapshot: Snapshot, deadlineMs = DEFAULT_STARTUP_DEADLINE_MS): Promise<void> {
  const persistDir = await mkdtemp(join(tmpdir(), 'edge-startup-check-'));
  const output = new RuntimeOutput();
  const miniflare = new Miniflare({
    host: '127.0.0.1',
    port: 0,
    cf: false,
    logRequests: false,
    defaultPersistRoot: persistDir,
    handleRuntimeStdio: output.handle,
    workers: workersForSnapshot(snapshot, await bundleRouterWorker()),
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StartupDeadlineError(deadlineMs)), deadlineMs);
  });
  try {
    await Promise.race([miniflare.ready, deadline]);
  } catch (error) {
    if (error instanceof StartupDeadlineError) throw error;
    // Let workerd finish printing what it printed before Miniflare's error reached us.
    await new Promise((resolve) => setTimeout(resolve, 50));
    // What workerd said, without its native stack lines or this machine's paths (runtime-message.ts).
    const said = publicRuntimeLines(output.since());
    throw new Error(`${withoutHostDetails(error instanceof Error ? error.message : String(error))}${said.length > 0 ? `: ${said.join(' ')}` : ''}`, { cause: error });
  } finally {
    clearTimeout(timer);
    await miniflare.dispose().catch(() => undefined);
    await rm(persistDir, { recursive: true, force: true });
  }
}
