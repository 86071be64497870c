/**
 * A newcomer's first run (registered in scripts/bench/registry.ts as `first-run`), in a fresh clone
 * of this repository's HEAD in a temporary folder:
 * - clone → `npm install` (offline-first from the npm cache, as a second install on a machine
 *   would) → `npm start` → every example route answering 200 through the local edge;
 * - `npm run new -- <name>` (with the npm install it runs) → `npm test -w services/<name>` green.
 * `--quick` leaves the install out (node_modules hard-linked from this checkout) and runs once.
 * Every command runs in a process group of its own and is stopped with it.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { declaredRoutes, exampleRequest, loadFleet } from '../fleet/index.ts';
import { NPM_INSTALL_ARGS } from '../new/install.ts';
import { median, round } from './median.ts';
import { freePort, launch, runToEnd, stop, type Finished } from './process-group.ts';
import { waitForAnswer, type Probe } from './probe.ts';
import type { BenchResult, BenchRow } from './result.ts';

const run = promisify(execFile);
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The service `npm run new` scaffolds in the clone. */
const NEW_SERVICE = 'firstrun';
const READY_TIMEOUT_MS = 300_000;

export interface FirstRunOptions {
  runs: number;
  /** Run `npm install` in the clone (and in `npm run new`); false hard-links this checkout's node_modules. */
  install: boolean;
}

export function firstRunSizes(quick: boolean): FirstRunOptions {
  return quick ? { runs: 1, install: false } : { runs: 3, install: true };
}

/** How the clone was made: HEAD cloned, or (a repository without a commit yet, as CI's scaffold copy) its index checked out. */
type Source = 'clone' | 'index';

/** A fresh clone of HEAD into `dir`, with no node_modules. */
async function cloneHead(dir: string): Promise<Source> {
  const head = await run('git', ['rev-parse', '--verify', '--quiet', 'HEAD'], { cwd: REPO_ROOT }).then(
    ({ stdout }) => stdout.trim(),
    () => undefined,
  );
  if (head === undefined) {
    await run('git', ['checkout-index', '--all', `--prefix=${dir}/`], { cwd: REPO_ROOT });
    return 'index';
  }
  await run('git', ['clone', '--quiet', '--no-checkout', REPO_ROOT, dir]);
  await run('git', ['checkout', '--quiet', '--detach', head], { cwd: dir });
  return 'clone';
}

/**
 * This checkout's node_modules hard-linked into the clone (seconds, no disk), for `--quick`. The
 * files tools rewrite in place (vite's cache, npm's hidden lockfile) are left out or copied, so
 * nothing run in the clone writes into this checkout.
 */
async function linkNodeModules(dir: string): Promise<void> {
  await run('cp', ['-al', join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules')]);
  await rm(join(dir, 'node_modules/.vite'), { recursive: true, force: true });
  await rm(join(dir, 'node_modules/.package-lock.json'), { force: true });
  await cp(join(REPO_ROOT, 'node_modules/.package-lock.json'), join(dir, 'node_modules/.package-lock.json'));
}

function succeeded(what: string, finished: Finished): Finished {
  if (finished.code !== 0) throw new Error(`first-run: ${what} exited with ${finished.code}:\n${finished.output}`);
  return finished;
}

/** The example routes of the clone's fleet, as probes of the data plane on `port` that want a 200. */
async function routeProbes(dir: string, port: number): Promise<Probe[]> {
  const fleet = await loadFleet(dir);
  return fleet.services.flatMap((service) => declaredRoutes(service.config).map((route) => ({ port, ...exampleRequest(route), status: 200 })));
}

/** `npm start` in the clone until every example route answers 200; stopped (its whole group) before returning. */
async function startToEveryRoute(dir: string): Promise<{ ms: number; routes: number }> {
  const [port, apiPort] = [await freePort(), await freePort()];
  const probes = await routeProbes(dir, port);
  const started = performance.now();
  const launched = launch('npm', ['start', '--', '--port', String(port), '--api-port', String(apiPort), '--quiet'], dir);
  try {
    await Promise.all(probes.map((probe) => waitForAnswer(probe, [launched], READY_TIMEOUT_MS, 'first-run: npm start')));
    return { ms: performance.now() - started, routes: probes.length };
  } finally {
    await stop(launched);
  }
}

interface FirstRunSample {
  source: Source;
  cloneMs: number;
  installMs: number;
  startMs: number;
  routes: number;
  newMs: number;
  testMs: number;
}

async function firstRun(options: FirstRunOptions): Promise<FirstRunSample> {
  const dir = await mkdtemp(join(tmpdir(), 'edgeops-first-run-'));
  try {
    const cloneStarted = performance.now();
    const source = await cloneHead(dir);
    const cloneMs = performance.now() - cloneStarted;
    let installMs = 0;
    if (options.install) installMs = succeeded('npm install', await runToEnd('npm', NPM_INSTALL_ARGS, dir)).ms;
    else await linkNodeModules(dir);
    const start = await startToEveryRoute(dir);
    const created = succeeded(`npm run new -- ${NEW_SERVICE}`, await runToEnd('npm', ['run', 'new', '--', NEW_SERVICE, ...(options.install ? [] : ['--no-install'])], dir));
    const tested = succeeded(`npm test -w services/${NEW_SERVICE}`, await runToEnd('npm', ['test', '-w', `services/${NEW_SERVICE}`], dir));
    return { source, cloneMs, installMs, startMs: start.ms, routes: start.routes, newMs: created.ms, testMs: tested.ms };
  } finally {
    await rm(dir, { recursive: true, force: true, maxRetries: 5 });
  }
}

export async function runFirstRunBench(options: FirstRunOptions): Promise<BenchResult> {
  const samples: FirstRunSample[] = [];
  for (let index = 0; index < options.runs; index++) samples.push(await firstRun(options));
  const mid = (pick: (sample: FirstRunSample) => number): number => median(samples.map(pick));
  const toFirst200 = mid((sample) => sample.cloneMs + sample.installMs + sample.startMs);
  const newToGreen = mid((sample) => sample.newMs + sample.testMs);
  const routes = samples[0]?.routes ?? 0;
  const rows: BenchRow[] = [
    { metric: 'git clone (local, HEAD)', value: round(mid((sample) => sample.cloneMs), 0), unit: 'ms' },
    ...(options.install ? [{ metric: 'npm install (warm cache, offline first)', value: round(mid((sample) => sample.installMs), 0), unit: 'ms' }] : []),
    { metric: `npm start to all ${routes} example routes answering 200`, value: round(mid((sample) => sample.startMs), 0), unit: 'ms' },
    { metric: `clone${options.install ? ' + install' : ''} + start to every example route's first 200`, value: round(toFirst200, 0), unit: 'ms' },
    ...(options.install ? [{ metric: 'npm install / clone → first 200', value: round(mid((sample) => sample.installMs) / toFirst200, 3), unit: 'ratio' }] : []),
    { metric: 'npm start / clone → first 200', value: round(mid((sample) => sample.startMs) / toFirst200, 3), unit: 'ratio' },
    { metric: `npm run new -- ${NEW_SERVICE}${options.install ? ' (with its npm install)' : ' --no-install'}`, value: round(mid((sample) => sample.newMs), 0), unit: 'ms' },
    { metric: `npm test -w services/${NEW_SERVICE}`, value: round(mid((sample) => sample.testMs), 0), unit: 'ms' },
    { metric: 'npm run new to a green test of the new service', value: round(newToGreen, 0), unit: 'ms' },
  ];
  const indexed = samples.some((sample) => sample.source === 'index');
  return {
    rows,
    notes: [
      `in a fresh ${indexed ? 'checkout of the index (this repository has no commit yet)' : 'local git clone of HEAD'} in a temporary folder; medians of ${options.runs} run(s), each from a new clone.`,
      options.install
        ? `npm install is \`npm ${NPM_INSTALL_ARGS.join(' ')}\` on an empty node_modules with the machine's npm cache warm (a newcomer's second install; the first also downloads).`
        : 'quick: no npm install, node_modules hard-linked from this checkout; `npm run new` with --no-install.',
      `first 200: \`npm start\` (the local edge, the fleet reconciled into it) polled every 50 ms on each example route of the fleet (its Host header and path) until every one answers 200.`,
      `new service: \`npm run new -- ${NEW_SERVICE}\` (http template), then \`npm test -w services/${NEW_SERVICE}\` (the service's own test script: vitest on services/${NEW_SERVICE}, in workerd with the whole fleet, as \`npm run new\` suggests), which must pass.`,
    ],
  };
}
