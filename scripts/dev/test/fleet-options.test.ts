import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WorkerOptions } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../fleet/index.ts';
import { copyExampleFleet, EXAMPLE_SERVICES } from '../../fleet/testing.ts';
import { devFleetOptions } from '../fleet-options.ts';

/**
 * devFleetOptions' `whileBundling`: dev loads Miniflare's module there, while esbuild bundles. It
 * runs once per call, only for a fleet that passed its checks (a broken config never pays for
 * Miniflare), and the options still hold every service's bundle.
 */
describe('dev: fleet options, with work overlapping the bundling', () => {
  let fleet: Awaited<ReturnType<typeof copyExampleFleet>> | undefined;
  const listen = { host: '127.0.0.1', port: 0, persistDir: '/tmp/unused' };
  beforeAll(async () => {
    fleet = await copyExampleFleet();
  });
  afterAll(async () => {
    await fleet?.remove();
  });

  it('runs whileBundling once and returns every service as a worker with its bundle', async () => {
    let calls = 0;
    const dev = await devFleetOptions(fleet!.rootDir, listen, undefined, () => (calls += 1));
    expect(calls).toBe(1);
    const workers: WorkerOptions[] = (dev.options.workers ?? []).filter((worker: WorkerOptions) => worker.name !== 'edgeops-no-route');
    expect(workers.map((worker) => worker.name).sort()).toEqual([...EXAMPLE_SERVICES]);
    for (const worker of workers) expect('modules' in worker && Array.isArray(worker.modules) && worker.modules.length > 0, worker.name).toBe(true);
  });

  it('does not run whileBundling when the fleet fails its checks', async () => {
    const config = join(fleet!.rootDir, 'services/orders/package.json');
    const pkg = JSON.parse(await readFile(config, 'utf8')) as Record<string, unknown>;
    await writeFile(config, JSON.stringify({ ...pkg, version: 'not-a-version' }));
    let calls = 0;
    await expect(devFleetOptions(fleet!.rootDir, listen, undefined, () => (calls += 1))).rejects.toBeInstanceOf(ConfigError);
    expect(calls).toBe(0);
  });
});
