/**
 * Local dev start-up (registered in scripts/bench/registry.ts as `dev-start`): for a synthetic fleet
 * of N services, the time from launching to every service answering with
 * - `npm run dev` (one process, one Miniflare, every service on its route);
 * - wrangler's own multi-Worker dev, `wrangler dev -c a/wrangler.toml -c b/wrangler.toml …` (one
 *   process; only the first Worker gets the port, the others start with it behind service bindings);
 * - N separate `wrangler dev` processes, one port each;
 * and the time from saving a service's source to its new code answering, ours vs wrangler's
 * multi-config process. Each process runs in its own process group and is stopped with it.
 */
import { readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, medianOf, round, type BenchResult, type BenchRow } from './index.ts';
import { freePort, launch as launchInGroup, runToEnd, stop, type Launched } from './process-group.ts';
import { waitForAnswer, type Probe } from './probe.ts';
import { createFixtureFleet, workerSource, type FixtureService } from '../gitops/synthetic/fleet.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WRANGLER = join(REPO_ROOT, 'node_modules/.bin/wrangler');
const READY_TIMEOUT_MS = 180_000;
const MULTI_CONFIG_GOAL = 1;
const SEPARATE_GOAL = 10;

export interface DevBenchOptions {
  sizes: number[];
  runs: number;
  /** Runs of the N-separate-processes mode (the slowest by far). */
  separateRuns: number;
}

export function devBenchSizes(quick: boolean): DevBenchOptions {
  return quick ? { sizes: [2], runs: 1, separateRuns: 1 } : { sizes: [3, 10], runs: 3, separateRuns: 3 };
}

/** No network here: either side's Miniflare would otherwise try to fetch the Request.cf object first (wrangler's waits up to 3 s). */
const launch = (command: string, args: string[], cwd: string): Launched => launchInGroup(command, args, cwd, { CLOUDFLARE_CF_FETCH_ENABLED: 'false' });

const waitAnswer = (probe: Probe, processes: Launched[], timeoutMs = READY_TIMEOUT_MS): Promise<void> => waitForAnswer(probe, processes, timeoutMs, 'dev-start');

function services(count: number): FixtureService[] {
  return Array.from({ length: count }, (_, index) => ({ name: `dev${String(index).padStart(2, '0')}`, routes: [`example.com/dev${index}/*`] }));
}

/** Host and path of a service's first route, `example.com/dev3/*` → example.com, /dev3/. */
function routeOf(service: FixtureService): { host: string; path: string } {
  const pattern = service.routes?.[0];
  if (!pattern) throw new Error(`${service.name} has no route`);
  const slash = pattern.indexOf('/');
  return { host: pattern.slice(0, slash), path: pattern.slice(slash).replace(/\*$/, '') };
}

/** How many times a run is started again after a process found its port taken. */
const PORT_CLASH_RETRIES = 3;

/**
 * `measure`, started again (at most {@link PORT_CLASH_RETRIES} times) when a process exited because
 * its port was taken: N wrangler processes each pick further ports of their own while the others
 * start, and on a loaded machine one can take a port another was given. Counts each retry in `clashes`.
 */
async function retryingPortClash(measure: () => Promise<number>, clashes: { count: number }): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await measure();
    } catch (error) {
      if (attempt >= PORT_CLASH_RETRIES || !(error instanceof Error && error.message.includes('Address already in use'))) throw error;
      clashes.count++;
    }
  }
}

/** Launches, waits for every probe, returns the milliseconds, stops. */
async function timeToAnswer(start: () => Promise<{ processes: Launched[]; probes: Probe[] }>): Promise<number> {
  const started = performance.now();
  const { processes, probes } = await start();
  try {
    await Promise.all(probes.map((probe) => waitAnswer(probe, processes)));
    return performance.now() - started;
  } finally {
    await Promise.all(processes.map(stop));
  }
}

/**
 * The command package.json's `dev` script runs (`exec node …`), its paths made absolute: launched
 * in the fleet's folder as npm would run it in a repository's (npm itself not timed, as npx is not
 * for wrangler).
 */
async function devCommand(): Promise<{ command: string; args: string[] }> {
  const pkg = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const [command, ...args] = (pkg.scripts.dev ?? '').replace(/^exec /, '').split(' ');
  if (command !== 'node') throw new Error(`package.json's dev script is not "exec node …": ${pkg.scripts.dev}`);
  return { command: process.execPath, args: args.map((arg) => (arg.startsWith('-') ? arg : join(REPO_ROOT, arg))) };
}

/** Runs `npm run dev --help` once: compiles dev's own code if it changed since its last start, untimed. */
async function compileDev(): Promise<void> {
  const dev = await devCommand();
  const finished = await runToEnd(dev.command, [...dev.args, '--help'], REPO_ROOT);
  if (finished.code !== 0) throw new Error(`npm run dev --help exited with ${finished.code}:\n${finished.output}`);
}

/** As a user runs it: watching for changes (wrangler dev watches by default too). */
async function ours(rootDir: string, fleet: FixtureService[]): Promise<{ processes: Launched[]; probes: Probe[] }> {
  const port = await freePort();
  const persist = join(rootDir, '.dev');
  const dev = await devCommand();
  const args = [...dev.args, '--port', String(port), '--persist-to', persist];
  const processes = [launch(dev.command, args, rootDir)];
  return { processes, probes: fleet.map((service) => ({ port, ...routeOf(service) })) };
}

async function wranglerMulti(rootDir: string, fleet: FixtureService[]): Promise<{ processes: Launched[]; probes: Probe[] }> {
  const port = await freePort();
  const configs = fleet.flatMap((service) => ['-c', join('services', service.name, 'wrangler.toml')]);
  const processes = [launch(WRANGLER, ['dev', ...configs, '--port', String(port), '--inspector-port', String(await freePort())], rootDir)];
  const first = fleet[0] as FixtureService;
  return { processes, probes: [{ port, ...routeOf(first) }] };
}

async function wranglerSeparate(rootDir: string, fleet: FixtureService[]): Promise<{ processes: Launched[]; probes: Probe[] }> {
  const processes: Launched[] = [];
  const probes: Probe[] = [];
  for (const service of fleet) {
    const port = await freePort();
    processes.push(launch(WRANGLER, ['dev', '--port', String(port), '--inspector-port', String(await freePort())], join(rootDir, 'services', service.name)));
    probes.push({ port, ...routeOf(service) });
  }
  return { processes, probes };
}

/** How long a save may go unserved before it counts as missed by the watcher and is saved again. */
const SAVE_MISSED_MS = 20_000;

/**
 * Saves the first service with a new answer until that answer is served: a file watcher that is
 * still scanning (or starved on a loaded machine) can miss one write, and a missed write would
 * otherwise wait forever. Returns the time from the save that was served, and how many were missed.
 */
async function saveUntilServed(rootDir: string, service: FixtureService, probe: Probe, processes: Launched[], label: string): Promise<{ ms: number; missed: number }> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (let missed = 0; ; missed++) {
    const marker = `saved-${Date.now()}-${label}-${missed}`;
    const started = performance.now();
    // Only the source, as a user saves it: rewriting wrangler.toml too would let wrangler's config
    // watcher read it half-written and exit ("Missing entry-point").
    await writeFile(join(rootDir, 'services', service.name, 'src', 'index.js'), workerSource({ ...service, message: marker }));
    try {
      await waitAnswer({ ...probe, contains: marker }, processes, Math.min(SAVE_MISSED_MS, deadline - Date.now()));
      return { ms: performance.now() - started, missed };
    } catch (error) {
      if (Date.now() >= deadline || processes.some(({ child }) => child.exitCode !== null)) throw error;
    }
  }
}

/**
 * Starts `start` with watching on, saves once untimed (the watcher is surely running after that),
 * then times `runs` saves until the new code answers. Saves the watcher missed are reported.
 */
async function reloadTime(rootDir: string, fleet: FixtureService[], start: () => Promise<{ processes: Launched[]; probes: Probe[] }>, runs: number): Promise<{ ms: number; missed: number }> {
  const { processes, probes } = await start();
  try {
    await Promise.all(probes.map((probe) => waitAnswer(probe, processes)));
    const first = fleet[0] as FixtureService;
    const probe = probes[0] as Probe;
    await saveUntilServed(rootDir, first, probe, processes, 'warm-up');
    const samples: number[] = [];
    let missed = 0;
    for (let run = 0; run < runs; run++) {
      const saved = await saveUntilServed(rootDir, first, probe, processes, String(run));
      samples.push(saved.ms);
      missed += saved.missed;
    }
    return { ms: median(samples), missed };
  } finally {
    await Promise.all(processes.map(stop));
  }
}

/** A fixture fleet laid out as a repository: npm run dev watches shared/src too, so the repository's is linked in. */
async function benchFleet(services: FixtureService[]): Promise<string> {
  const rootDir = await createFixtureFleet(services, 'owner = "bench"');
  await symlink(join(REPO_ROOT, 'shared'), join(rootDir, 'shared'));
  return rootDir;
}

export async function runDevBench(options: DevBenchOptions): Promise<BenchResult> {
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  const clashes = { count: 0 };
  await compileDev();
  for (const count of options.sizes) {
    const fleet = services(count);
    const rootDir = await benchFleet(fleet);
    try {
      const oursStart = await medianOf(options.runs, () => timeToAnswer(() => ours(rootDir, fleet)));
      const multi = await medianOf(options.runs, () => timeToAnswer(() => wranglerMulti(rootDir, fleet)));
      const separate = await medianOf(options.separateRuns, () => retryingPortClash(() => timeToAnswer(() => wranglerSeparate(rootDir, fleet)), clashes));
      const multiRatio = multi.median / oursStart.median;
      const separateRatio = separate.median / oursStart.median;
      rows.push(
        { metric: `N=${count}: npm run dev, start to every service answering`, value: round(oursStart.median, 0), unit: 'ms' },
        { metric: `N=${count}: wrangler dev -c ×${count} (one process), start to answering`, value: round(multi.median, 0), unit: 'ms' },
        { metric: `N=${count}: ${count} wrangler dev processes, start to every one answering`, value: round(separate.median, 0), unit: 'ms' },
        { metric: `N=${count}: wrangler multi-config / npm run dev`, value: round(multiRatio, 2), unit: '×', ...(count >= 10 ? { goal: `> ${MULTI_CONFIG_GOAL}`, ok: multiRatio > MULTI_CONFIG_GOAL } : {}) },
        { metric: `N=${count}: ${count} wrangler processes / npm run dev`, value: round(separateRatio, 2), unit: '×', ...(count >= 10 ? { goal: `>= ${SEPARATE_GOAL}`, ok: separateRatio >= SEPARATE_GOAL } : {}) },
      );
    } finally {
      await rm(rootDir, { recursive: true, force: true });
    }
  }
  const reloadCount = options.sizes[0] as number;
  const reloadFleet = services(reloadCount);
  const reloadRoot = await benchFleet(reloadFleet);
  try {
    const oursReload = await reloadTime(reloadRoot, reloadFleet, () => ours(reloadRoot, reloadFleet), options.runs);
    const wranglerReload = await reloadTime(reloadRoot, reloadFleet, () => wranglerMulti(reloadRoot, reloadFleet), options.runs);
    rows.push(
      { metric: `N=${reloadCount}: npm run dev, save to new code answering`, value: round(oursReload.ms, 0), unit: 'ms' },
      { metric: `N=${reloadCount}: wrangler dev -c ×${reloadCount}, save to new code answering`, value: round(wranglerReload.ms, 0), unit: 'ms' },
      { metric: `N=${reloadCount}: reload, wrangler / npm run dev`, value: round(wranglerReload.ms / oursReload.ms, 2), unit: '×' },
    );
    if (oursReload.missed + wranglerReload.missed > 0) {
      notes.push(`reload: saves not picked up within ${SAVE_MISSED_MS / 1000} s and saved again: npm run dev ${oursReload.missed}, wrangler ${wranglerReload.missed}.`);
    }
  } finally {
    await rm(reloadRoot, { recursive: true, force: true });
  }
  if (clashes.count > 0) notes.push(`N wrangler processes: ${clashes.count} run(s) started again because a process found its port taken by another (Address already in use).`);
  notes.push(
    `synthetic services (a tiny JS Worker each, one route example.com/<name>/*); times from launching the process(es) to every probe answering below 500, polled every 50 ms; medians of ${options.runs} run(s), N separate processes ${options.separateRuns} run(s).`,
    'npm run dev is probed on every service\'s route; wrangler\'s multi-config process exposes only its first Worker on the port (the others start in the same process, reachable through service bindings), so it is probed on that one; the N wrangler processes each on their own port.',
    'npm run dev is launched as its package.json script runs it (without npm itself) and, like wrangler dev, watching for changes; wrangler as node_modules/.bin/wrangler (without npx); npm run dev compiles its own code once after that code changes (scripts/cli/run-bundled.mjs): that is done once before timing, as every start but the first after a change finds it done. It also keeps V8\'s compiled code of the packages it loads between starts (scripts/dev/.cache/v8/), which its first timed start fills, as a user\'s first start does.',
    'both run with CLOUDFLARE_CF_FETCH_ENABLED=false: without network their Miniflare would otherwise try to fetch the Request.cf object first (wrangler\'s waits up to 3 s).',
    `reload: the first service's source rewritten with a new answer, timed until that answer is served, after one untimed save; ours with watching on, wrangler's multi-config process (which watches by default); medians of ${options.runs} save(s).`,
  );
  return { rows, notes };
}
