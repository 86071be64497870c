/**
 * Cold start of each example service: from a fresh workerd (a new isolate, the bundle compiled and
 * its top level run) to its first response, against the same for an empty Worker; and its bundle's
 * gzip size. Held to Cloudflare's limits: a Worker must start within 1 s and, on the free plan,
 * weigh at most 3 MB gzip (https://developers.cloudflare.com/workers/platform/limits/#worker-startup-time,
 * https://developers.cloudflare.com/workers/platform/limits/#worker-size).
 */
import { gzipSync } from 'node:zlib';
import { Miniflare, type WorkerOptions } from 'miniflare';
import { bundleService, checkFleet, loadFleet, workerOptions } from '../fleet/index.ts';
import { medianOf, round } from './median.ts';
import type { BenchResult, BenchRow, BenchRunOptions } from './result.ts';

const STARTUP_LIMIT_MS = 1000;
const GZIP_LIMIT_BYTES = 3 * 1024 * 1024;
const EMPTY_WORKER = 'export default { fetch() { return new Response("ok"); } };';

/** Names of the Workers `worker` binds as services. */
function boundServices(worker: WorkerOptions): string[] {
  return Object.values(worker.serviceBindings ?? {}).flatMap((target) => {
    if (typeof target === 'string') return [target];
    if (typeof target === 'object' && target !== null && 'name' in target && typeof target.name === 'string') return [target.name];
    return [];
  });
}

/** `first` and, transitively, every fleet Worker it binds as a service (a Worker cannot start without them). */
function withBoundServices(first: WorkerOptions, fleetWorkers: ReadonlyMap<string, WorkerOptions>): WorkerOptions[] {
  const workers = [first];
  for (let index = 0; index < workers.length; index++) {
    for (const name of boundServices(workers[index] as WorkerOptions)) {
      const bound = fleetWorkers.get(name);
      if (!bound) throw new Error(`${first.name ?? 'worker'} binds service "${name}", which is not in the fleet`);
      if (!workers.includes(bound)) workers.push(bound);
    }
  }
  return workers;
}

/** Milliseconds from `new Miniflare` to the first response of the first Worker to `path` (any status below 500: it answered). */
async function startToFirstResponse(workers: WorkerOptions[], path: string): Promise<number> {
  const started = performance.now();
  const miniflare = new Miniflare({ workers, cf: false });
  try {
    await miniflare.ready;
    const response = await miniflare.dispatchFetch(`http://bench.invalid${path}`);
    await response.arrayBuffer();
    if (response.status >= 500) throw new Error(`${workers[0]?.name ?? 'worker'} answered ${response.status} on ${path}`);
    return performance.now() - started;
  } finally {
    await miniflare.dispose();
  }
}

export async function runColdStartBench(rootDir: string, options: BenchRunOptions): Promise<BenchResult> {
  const runs = options.quick ? 1 : 5;
  const fleet = await loadFleet(rootDir);
  checkFleet(fleet);
  const empty = await medianOf(runs, () => startToFirstResponse([{ name: 'empty', modules: true, script: EMPTY_WORKER, compatibilityDate: '2025-06-01' }], '/'));
  const built = await Promise.all(fleet.services.map(async (service) => ({ service, bundle: await bundleService(service) })));
  const fleetWorkers = new Map(built.map(({ service, bundle }) => [service.name, workerOptions(service, bundle)]));
  const started: string[] = [];
  const rows: BenchRow[] = [{ metric: 'empty Worker: start to first response', value: round(empty.median, 0), unit: 'ms' }];
  for (const { service, bundle } of built) {
    const workers = withBoundServices(fleetWorkers.get(service.name) as WorkerOptions, fleetWorkers);
    if (workers.length > 1) started.push(`${service.name} starts with ${workers.slice(1).map((worker) => worker.name).join(', ')}, which it binds`);
    const gzipBytes = bundle.modules.reduce((sum, module) => sum + gzipSync(module.contents).byteLength, 0);
    const start = await medianOf(runs, () => startToFirstResponse(workers, '/openapi.json'));
    const overEmpty = start.median - empty.median;
    rows.push(
      { metric: `${service.name}: start to first response`, value: round(start.median, 0), unit: 'ms' },
      { metric: `${service.name}: start-up over an empty Worker`, value: round(overEmpty, 0), unit: 'ms', goal: `< ${STARTUP_LIMIT_MS} (Cloudflare limit)`, ok: overEmpty < STARTUP_LIMIT_MS },
      { metric: `${service.name}: bundle gzip`, value: round(gzipBytes / 1024, 1), unit: 'KiB', goal: '< 3072 (free plan limit)', ok: gzipBytes < GZIP_LIMIT_BYTES },
      { metric: `${service.name}: share of the free plan's size limit`, value: round(gzipBytes / GZIP_LIMIT_BYTES, 4), unit: 'ratio' },
    );
  }
  return {
    rows,
    notes: [
      `each start is a new Miniflare (a fresh workerd process and isolate) running only that Worker with its bindings, until it answers GET /openapi.json (the empty Worker: GET /); medians of ${runs} run(s).`,
      'start-up over an empty Worker = the service\'s time minus the empty Worker\'s: what compiling and running its bundle\'s top level costs, the part Cloudflare\'s 1 s start-up limit covers.',
      ...(started.length > 0 ? [`a Worker cannot start without the Workers it binds as services, so ${started.join('; ')} (its figures include theirs: an upper bound).`] : []),
      'bundle gzip = the modules wrangler would upload (the fleet\'s own esbuild bundle, unminified), gzip-compressed.',
    ],
  };
}
