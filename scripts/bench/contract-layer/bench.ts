/**
 * What the contract layer costs: the same 10-route API (schemas.ts, answers.ts) served by our `implement()` (requests
 * and responses validated), by bare itty-router (no validation) and by Hono + @hono/zod-validator
 * (requests validated), each bundled like the fleet bundles a service and run in its own workerd.
 * One load tool (node:http keep-alive on loopback) cycles through one request per route; rounds
 * alternate between the three so machine noise hits all alike. Also each bundle's gzip size.
 */
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { gzipSync } from 'node:zlib';
import esbuild from 'esbuild';
import { Miniflare } from 'miniflare';
import { runLoad, type LoadResult } from '../../edge/bench/load.ts';
import { median, round } from '../median.ts';
import { CpuTally } from '../cpu-tally.ts';
import { descendantPids } from '../process-tree.ts';
import type { BenchResult, BenchRow, BenchRunOptions } from '../result.ts';
import { REQUEST_MIX } from './request-mix.ts';
import { send } from '../http-client.ts';

const IMPLEMENTATIONS = {
  contract: { label: 'implement() (contract)', file: 'contract-worker.ts', validates: true },
  itty: { label: 'bare itty-router', file: 'itty-worker.ts', validates: false },
  hono: { label: 'Hono + zod-validator', file: 'hono-worker.ts', validates: true },
} as const;
type Implementation = keyof typeof IMPLEMENTATIONS;

const CONCURRENCY = 16;
const GOAL_RATIO = 0.9;
/**
 * Per implementation. The warm-up is long enough for V8 to have compiled the hot paths of the largest
 * bundle (its compiler threads count in workerd's CPU); rounds are short and many, so a ratio can be
 * taken round by round.
 */
const SIZES = { full: { requests: 16000, rounds: 16, warmup: 2000 }, quick: { requests: 900, rounds: 3, warmup: 150 } };
const INVALID = { method: 'POST', path: '/items', body: { name: '', price: -1 } };

async function bundle(file: string): Promise<Uint8Array> {
  const result = await esbuild.build({
    entryPoints: [fileURLToPath(new URL(file, import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2024',
    conditions: ['workerd', 'worker', 'browser'],
    minify: false,
    logLevel: 'silent',
  });
  const output = result.outputFiles[0];
  if (!output || result.outputFiles.length !== 1) throw new Error(`bundling ${file}: expected one output, got ${result.outputFiles.length}`);
  return output.contents;
}

interface Running {
  url: string;
  miniflare: Miniflare;
  gzipBytes: number;
  /** Its workerd process(es)' CPU over the rounds; undefined without /proc. */
  cpu: CpuTally<'workerd'> | undefined;
}

/** Starts one implementation in a workerd of its own (one at a time: the processes that appear are its runtime). */
async function start(implementation: Implementation): Promise<Running> {
  const contents = await bundle(IMPLEMENTATIONS[implementation].file);
  const before = await descendantPids();
  const miniflare = new Miniflare({ modules: [{ type: 'ESModule', path: 'index.js', contents }], compatibilityDate: '2025-06-01', cf: false, port: 0 });
  const url = (await miniflare.ready).href;
  const after = await descendantPids();
  const cpu = before && after ? new CpuTally({ workerd: { processes: [...after].filter((pid) => !before.has(pid)) } }) : undefined;
  return { url, miniflare, gzipBytes: gzipSync(contents).byteLength, cpu };
}

/** One round of load, its workerd's CPU added to the implementation's tally (when /proc is there). */
async function loadWithCpu(running: Running, call: () => Promise<void>, requests: number): Promise<LoadResult> {
  const load = (): Promise<LoadResult> => runLoad(call, { requests, concurrency: CONCURRENCY });
  return running.cpu ? running.cpu.round(load) : load();
}

/** Every implementation answers every route alike, and the validating ones refuse a bad body. */
async function checkAlike(running: Record<Implementation, Running>): Promise<void> {
  for (const request of REQUEST_MIX) {
    const answers = await Promise.all((Object.keys(running) as Implementation[]).map(async (name) => ({ name, answer: await send(running[name].url, request.method, request.path, request.body) })));
    for (const { name, answer } of answers) {
      if (answer.status !== request.status) throw new Error(`${name}: ${request.method} ${request.path} answered ${answer.status}, expected ${request.status}: ${answer.body.slice(0, 200)}`);
    }
    const bodies = answers.map(({ answer }) => (answer.body === '' ? null : JSON.parse(answer.body)));
    if (!bodies.every((body) => isDeepStrictEqual(body, bodies[0]))) throw new Error(`${request.method} ${request.path}: the implementations answer differently: ${bodies.map((body) => JSON.stringify(body)).join(' / ')}`);
  }
  for (const name of Object.keys(running) as Implementation[]) {
    if (!IMPLEMENTATIONS[name].validates) continue;
    const answer = await send(running[name].url, INVALID.method, INVALID.path, INVALID.body);
    if (answer.status !== 400) throw new Error(`${name} accepted an invalid body with ${answer.status}`);
  }
}

/** `[make(value)]` when there is a value (a figure this machine could measure), else no row. */
function optionalRow(value: number | undefined, make: (value: number) => BenchRow): BenchRow[] {
  return value === undefined ? [] : [make(value)];
}

/** `names` rotated left by `by`. */
function rotated<T>(names: readonly T[], by: number): T[] {
  const start = by % names.length;
  return [...names.slice(start), ...names.slice(0, start)];
}

function caller(url: string): () => Promise<void> {
  let next = 0;
  return async () => {
    const request = REQUEST_MIX[next++ % REQUEST_MIX.length] as (typeof REQUEST_MIX)[number];
    const answer = await send(url, request.method, request.path, request.body);
    if (answer.status !== request.status) throw new Error(`${request.method} ${request.path} answered ${answer.status}`);
  };
}

export async function runContractLayerBench(options: BenchRunOptions): Promise<BenchResult> {
  const size = options.quick ? SIZES.quick : SIZES.full;
  const names = Object.keys(IMPLEMENTATIONS) as Implementation[];
  const started: Partial<Record<Implementation, Running>> = {};
  try {
    for (const name of names) started[name] = await start(name);
    const running = started as Record<Implementation, Running>;
    await checkAlike(running);
    const calls = Object.fromEntries(names.map((name) => [name, caller(running[name].url)])) as Record<Implementation, () => Promise<void>>;
    const rounds: Record<Implementation, LoadResult[]> = { contract: [], itty: [], hono: [] };
    for (const name of names) await runLoad(calls[name], { requests: size.warmup, concurrency: CONCURRENCY });
    for (let index = 0; index < size.rounds; index++) {
      // Each round runs all three back to back, in an order that rotates, so none always follows the same one.
      for (const name of rotated(names, index)) rounds[name].push(await loadWithCpu(running[name], calls[name], size.requests / size.rounds));
    }
    const throughput = (name: Implementation): number => median(rounds[name].map((result) => result.requestsPerSecond));
    /** Round by round, `name`'s throughput over bare itty-router's in the same round: what the machine's drift between rounds does not move. */
    const pairedRatios = (name: Implementation): number[] => rounds[name].map((result, index) => result.requestsPerSecond / (rounds.itty[index] as LoadResult).requestsPerSecond);
    /** Microseconds of workerd CPU per request over all rounds: what the implementation itself costs, whatever else the machine runs. */
    const cpuPerRequest = (name: Implementation): number | undefined => running[name].cpu?.microsPerRequest('workerd');
    const rows: BenchRow[] = names.flatMap((name) => [
      { metric: `${IMPLEMENTATIONS[name].label} throughput`, value: round(throughput(name), 0), unit: 'req/s' },
      { metric: `${IMPLEMENTATIONS[name].label} latency p50`, value: round(median(rounds[name].map((result) => result.p50Ms))), unit: 'ms' },
      { metric: `${IMPLEMENTATIONS[name].label} latency p99`, value: round(median(rounds[name].map((result) => result.p99Ms))), unit: 'ms' },
      { metric: `${IMPLEMENTATIONS[name].label} bundle gzip`, value: round(running[name].gzipBytes / 1024, 1), unit: 'KiB' },
      ...optionalRow(cpuPerRequest(name), (cpu) => ({ metric: `${IMPLEMENTATIONS[name].label} workerd CPU per request`, value: round(cpu, 0), unit: 'µs' })),
    ]);
    const contractCpu = cpuPerRequest('contract');
    const ittyCpu = cpuPerRequest('itty');
    const versusIttyRounds = pairedRatios('contract');
    const versusItty = median(versusIttyRounds);
    const versusHono = throughput('contract') / throughput('hono');
    rows.push(
      { metric: 'implement() / bare itty-router throughput', value: round(versusItty, 3), unit: 'ratio', goal: `>= ${GOAL_RATIO}`, ok: versusItty >= GOAL_RATIO },
      { metric: 'implement() / bare itty-router throughput, lowest round', value: round(Math.min(...versusIttyRounds), 3), unit: 'ratio' },
      { metric: 'implement() / bare itty-router throughput, highest round', value: round(Math.max(...versusIttyRounds), 3), unit: 'ratio' },
      { metric: 'implement() / Hono + zod-validator throughput', value: round(versusHono, 3), unit: 'ratio' },
      { metric: 'implement() / bare itty-router bundle gzip', value: round(running.contract.gzipBytes / running.itty.gzipBytes, 2), unit: 'ratio' },
      { metric: 'implement() / Hono + zod-validator bundle gzip', value: round(running.contract.gzipBytes / running.hono.gzipBytes, 2), unit: 'ratio' },
      ...optionalRow(contractCpu !== undefined && ittyCpu !== undefined ? contractCpu / ittyCpu : undefined, (ratio) => ({ metric: 'implement() / bare itty-router workerd CPU per request', value: round(ratio, 2), unit: 'ratio' })),
    );
    return {
      rows,
      notes: [
        `the same 10 routes (path parameters, query strings, JSON bodies; one request each, cycled) served by each implementation in its own workerd; ${size.requests} requests each in ${size.rounds} rounds after ${size.warmup} warm-up requests, concurrency ${CONCURRENCY}, node:http keep-alive client on loopback. Each round runs the three back to back, in an order that rotates from round to round; throughput and latencies are medians over the rounds.`,
        'implement() / bare itty-router throughput: the median over the rounds of the two throughputs\' ratio within each round (the machine\'s drift between rounds, large on a shared VM, cancels out), with its lowest and highest round beside it.',
        'implement() validates params, query, body and every response against the contract; Hono validates params, query and body with @hono/zod-validator; bare itty-router validates nothing. Before the load, every route is checked to answer the same status and JSON in all three, and an invalid body to get 400 from the validating two.',
        'workerd CPU per request: the user + system CPU time of each implementation\'s workerd process (Linux /proc) over all its rounds, divided by the requests: its own cost, which the load tool and other processes on the machine do not blur as they blur throughput.',
        'bundle gzip: each Worker bundled with esbuild like the fleet bundles a service (ESM, unminified, workerd conditions), zod included where used.',
      ],
    };
  } finally {
    for (const running of Object.values(started)) await running.miniflare.dispose();
  }
}
