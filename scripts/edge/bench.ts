/**
 * The data-plane bench: the same small Worker called (a) through the local edge's data plane —
 * HTTP to its port (the listener that holds requests across applies, matches the route, picks the
 * version and calls that version's Worker on its own workerd socket) — and (b) straight through Miniflare's `dispatchFetch` on a Miniflare running only
 * that Worker; plus (c) that plain Miniflare over the same HTTP client as (a), which isolates the
 * router's cost from the client's, and (d) the design not taken — routing in a Node proxy in front of
 * that Miniflare; and (e) the same client straight into the worker's own workerd socket, the floor
 * of what a request costs workerd (the edge's workerd share now takes that same path). Rounds alternate between modes so machine noise hits all alike.
 * CPU per request of the listener thread, workerd and the client comes from /proc (cpu-tally.ts).
 * Also measures the data plane's start-up. Loopback only.
 *
 *   npx tsx scripts/edge/bench.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Miniflare } from 'miniflare';
import { CpuTally, descendantPids, threadIds, type BenchResult, type BenchRunOptions } from '../bench/index.ts';
import { mergeRounds, runLoad, type LoadResult } from './bench/load.ts';
import { startNodeProxy } from './bench/node-proxy.ts';
import { createDataPlane, fetchWithHost } from './src/dataplane/index.ts';
import type { Snapshot } from './src/snapshot.ts';

process.env.WRANGLER_SEND_METRICS = 'false';

const CONCURRENCY = 16;
/** Requests per mode, warm-up requests per mode, alternating rounds: full run and `--quick`. */
const SIZES = { full: { requests: 4000, warmup: 500, rounds: 8 }, quick: { requests: 400, warmup: 50, rounds: 4 } };
const GOAL_RATIO = 0.85;
const HOST = 'bench.example.com';

const WORKER_SOURCE = `export default {
  async fetch(request) {
    return new Response(JSON.stringify({ ok: true, path: new URL(request.url).pathname }), {
      headers: { 'content-type': 'application/json' },
    });
  },
};`;
const COMPATIBILITY_DATE = '2025-06-01';

function benchSnapshot(): Snapshot {
  return {
    accountId: 'bench',
    subdomain: 'bench',
    scripts: [
      {
        name: 'bench',
        workersDev: false,
        schedules: [],
        durableObjects: [],
        versions: [
          {
            id: 'bench-v1',
            percentage: 100,
            mainModule: 'index.js',
            modules: [{ name: 'index.js', type: 'esm', contents: new TextEncoder().encode(WORKER_SOURCE) }],
            compatibilityDate: COMPATIBILITY_DATE,
            compatibilityFlags: [],
            bindings: [],
          },
        ],
      },
    ],
    // A realistic table: the bench route sits among others the router must look past.
    routes: [
      ...Array.from({ length: 20 }, (_, index) => ({ zoneName: 'example.com', pattern: `service-${index}.example.com/*`, script: 'bench' })),
      { zoneName: 'example.com', pattern: 'example.com/*', script: 'bench' },
      { zoneName: 'example.com', pattern: `${HOST}/*`, script: 'bench' },
    ],
    customDomains: [],
    queueConsumers: [],
    kvNamespaces: [],
    r2Buckets: [],
  };
}

async function expectOk(response: Response): Promise<void> {
  const body = await response.text();
  if (response.status !== 200 || !body.includes('"ok":true')) throw new Error(`bench worker answered ${response.status}: ${body.slice(0, 200)}`);
}

function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Child processes started since `before` (the set descendantPids() gave then). */
async function childrenSince(before: ReadonlySet<number> | undefined): Promise<number[]> {
  return [...((await descendantPids()) ?? [])].filter((pid) => !before?.has(pid));
}

export async function runEdgeBench(options: BenchRunOptions = { quick: false }): Promise<BenchResult> {
  const { requests: requestCount, warmup: warmupCount, rounds: roundCount } = options.quick ? SIZES.quick : SIZES.full;
  const persistDir = await mkdtemp(path.join(tmpdir(), 'edge-bench-'));
  const threadsBefore = await threadIds();
  const childrenBefore = await descendantPids();
  const startBegin = performance.now();
  const dataPlane = await createDataPlane({ port: 0, persistDir });
  const createdMs = performance.now() - startBegin;
  const listenerThreads = [...(await threadIds())].filter((tid) => !threadsBefore.has(tid));
  const applyBegin = performance.now();
  await dataPlane.apply(benchSnapshot());
  const applyMs = performance.now() - applyBegin;
  await expectOk(await fetchWithHost(dataPlane.url, HOST, '/first'));
  const firstResponseMs = performance.now() - startBegin;
  // After the apply: it restarted workerd.
  const edgeRuntime = await childrenSince(childrenBefore);

  const childrenBeforeDirect = await descendantPids();
  // The worker also gets a socket of its own (Miniflare's unsafeDirectSockets), which skips the entry worker.
  const direct = new Miniflare({ modules: true, script: WORKER_SOURCE, compatibilityDate: COMPATIBILITY_DATE, cf: false, port: 0, unsafeDirectSockets: [{ host: '127.0.0.1', port: 0 }] });
  const directUrl = (await direct.ready).href;
  const workerSocketUrl = (await direct.unsafeGetDirectURL()).href;
  const directRuntime = await childrenSince(childrenBeforeDirect);
  const client = { threads: [process.pid] };
  const edgeCpu = new CpuTally({ client, listener: { threads: listenerThreads }, workerd: { processes: edgeRuntime } });
  const directCpu = new CpuTally({ client, workerd: { processes: directRuntime } });
  const workerSocketCpu = new CpuTally({ client, workerd: { processes: directRuntime } });
  const proxy = await startNodeProxy(benchSnapshot().routes, directUrl);
  try {
    const modes: Record<'edge' | 'dispatchFetch' | 'directHttp' | 'nodeProxy' | 'workerSocket', () => Promise<void>> = {
      edge: async () => expectOk(await fetchWithHost(dataPlane.url, HOST, '/bench')),
      dispatchFetch: async () => expectOk((await direct.dispatchFetch(`http://${HOST}/bench`)) as unknown as Response),
      directHttp: async () => expectOk(await fetchWithHost(directUrl, HOST, '/bench')),
      nodeProxy: async () => expectOk(await fetchWithHost(proxy.url, HOST, '/bench')),
      workerSocket: async () => expectOk(await fetchWithHost(workerSocketUrl, HOST, '/bench')),
    };
    const rounds: Record<keyof typeof modes, LoadResult[]> = { edge: [], dispatchFetch: [], directHttp: [], nodeProxy: [], workerSocket: [] };
    const tallies: Partial<Record<keyof typeof modes, Pick<CpuTally<string>, 'round'>>> = { edge: edgeCpu, directHttp: directCpu, workerSocket: workerSocketCpu };
    for (const call of Object.values(modes)) await runLoad(call, { requests: warmupCount, concurrency: CONCURRENCY });
    for (let index = 0; index < roundCount; index++) {
      for (const [mode, call] of Object.entries(modes) as [keyof typeof modes, () => Promise<void>][]) {
        const load = (): Promise<LoadResult> => runLoad(call, { requests: requestCount / roundCount, concurrency: CONCURRENCY });
        const tally = tallies[mode];
        rounds[mode].push(await (tally ? tally.round(load) : load()));
      }
    }
    const edge = mergeRounds(rounds.edge);
    const dispatch = mergeRounds(rounds.dispatchFetch);
    const directHttp = mergeRounds(rounds.directHttp);
    const nodeProxy = mergeRounds(rounds.nodeProxy);
    const workerSocket = mergeRounds(rounds.workerSocket);
    const ratio = edge.requestsPerSecond / dispatch.requestsPerSecond;
    const sameClientRatio = edge.requestsPerSecond / directHttp.requestsPerSecond;
    const edgeCpuMicros = edgeCpu.microsPerRequest('client') + edgeCpu.microsPerRequest('listener') + edgeCpu.microsPerRequest('workerd');
    const directCpuMicros = directCpu.microsPerRequest('client') + directCpu.microsPerRequest('workerd');
    return {
      rows: [
        { metric: 'edge throughput', value: round(edge.requestsPerSecond, 0), unit: 'req/s' },
        { metric: 'edge latency p50', value: round(edge.p50Ms), unit: 'ms' },
        { metric: 'edge latency p99', value: round(edge.p99Ms), unit: 'ms' },
        { metric: 'dispatchFetch throughput', value: round(dispatch.requestsPerSecond, 0), unit: 'req/s' },
        { metric: 'dispatchFetch latency p50', value: round(dispatch.p50Ms), unit: 'ms' },
        { metric: 'dispatchFetch latency p99', value: round(dispatch.p99Ms), unit: 'ms' },
        { metric: 'edge / dispatchFetch throughput', value: round(ratio, 3), unit: 'ratio', goal: `>= ${GOAL_RATIO}`, ok: ratio >= GOAL_RATIO },
        { metric: 'plain Miniflare over HTTP throughput', value: round(directHttp.requestsPerSecond, 0), unit: 'req/s' },
        { metric: 'edge / plain Miniflare, same client', value: round(sameClientRatio, 3), unit: 'ratio', goal: `>= ${GOAL_RATIO}`, ok: sameClientRatio >= GOAL_RATIO },
        { metric: 'edge CPU per request: listener thread', value: round(edgeCpu.microsPerRequest('listener'), 0), unit: 'µs' },
        { metric: 'edge CPU per request: workerd (worker, on its own socket)', value: round(edgeCpu.microsPerRequest('workerd'), 0), unit: 'µs' },
        { metric: 'edge CPU per request: client', value: round(edgeCpu.microsPerRequest('client'), 0), unit: 'µs' },
        { metric: 'plain Miniflare CPU per request: workerd (entry + worker)', value: round(directCpu.microsPerRequest('workerd'), 0), unit: 'µs' },
        { metric: 'plain Miniflare CPU per request: client', value: round(directCpu.microsPerRequest('client'), 0), unit: 'µs' },
        { metric: 'plain Miniflare / edge CPU per request, whole path', value: round(edgeCpuMicros === 0 ? 0 : directCpuMicros / edgeCpuMicros, 3), unit: 'ratio' },
        { metric: 'alternative: Node proxy routing throughput', value: round(nodeProxy.requestsPerSecond, 0), unit: 'req/s' },
        { metric: 'alternative: Node proxy routing latency p50', value: round(nodeProxy.p50Ms), unit: 'ms' },
        { metric: 'reference: the worker\'s own socket, no entry or router hop, throughput', value: round(workerSocket.requestsPerSecond, 0), unit: 'req/s' },
        { metric: 'reference: the worker\'s own socket CPU per request: workerd (worker only)', value: round(workerSocketCpu.microsPerRequest('workerd'), 0), unit: 'µs' },
        { metric: 'data plane start (createDataPlane)', value: round(createdMs, 0), unit: 'ms' },
        { metric: 'first apply (1 script, 22 routes)', value: round(applyMs, 0), unit: 'ms' },
        { metric: 'start to first routed response', value: round(firstResponseMs, 0), unit: 'ms' },
      ],
      notes: [
        `${requestCount} requests per mode in ${roundCount} alternating rounds, concurrency ${CONCURRENCY}, after ${warmupCount} warm-up requests each; loopback only. Throughput is all rounds' requests over their total time; p50/p99 are medians of the rounds'.`,
        'edge = node:http client (keep-alive) → data plane port (the Node listener, in its own thread: route match + version pick, Cloudflare\'s request headers and request.cf, the answer\'s cf-ray) → the version\'s worker on its own workerd socket (proxy-style, the public URL in the request line). Requests that reach no deployed Worker (404/503 answers) go to a router worker instead; the bench sends none.',
        'dispatchFetch = Miniflare.dispatchFetch on a Miniflare running only the worker; plain Miniflare over HTTP = the same node:http client against that Miniflare.',
        'alternative = the design not taken: route matching in a Node HTTP proxy, then HTTP to that Miniflare.',
        'reference = the same client straight into the worker\'s own workerd socket (Miniflare\'s unsafeDirectSockets): no entry worker, no router, no service binding; what a request costs workerd when no worker sits in front of the Worker.',
        'CPU per request = user + system CPU time (from /proc) over the edge and plain-Miniflare-over-HTTP rounds, per request: the listener thread and the client (the bench\'s main thread) alone, workerd = the runtime\'s processes. Unlike req/s it does not depend on what else the machine runs; on a CPU-bound machine throughput follows the whole path\'s CPU, so "plain Miniflare / edge CPU per request, whole path" is what edge / plain Miniflare throughput tends to there.',
      ],
    };
  } finally {
    await proxy.close();
    await direct.dispose();
    await dataPlane.dispose();
    await rm(persistDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runEdgeBench().then(
    (result) => {
      console.table(result.rows);
      for (const note of result.notes ?? []) console.log(note);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
