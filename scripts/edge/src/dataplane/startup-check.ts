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
import { RuntimeOutput } from './runtime-output.ts';
import { workersForSnapshot } from './worker-options.ts';

/** Resolves when every Worker of `snapshot` starts; rejects with workerd's reason otherwise. */
export async function checkStartup(snapshot: Snapshot): Promise<void> {
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
  try {
    await miniflare.ready;
  } catch (error) {
    // Let workerd finish printing what it printed before Miniflare's error reached us.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const said = output.since();
    throw new Error(`${error instanceof Error ? error.message : String(error)}${said.length > 0 ? `: ${said.join(' ')}` : ''}`, { cause: error });
  } finally {
    await miniflare.dispose().catch(() => undefined);
    await rm(persistDir, { recursive: true, force: true });
  }
}
