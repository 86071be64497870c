/**
 * The reconciler's benchmark (registered in scripts/bench/registry.ts as `gitops`): a synthetic
 * fleet of 100 tiny services on a local edge, in one run.
 * - no-op plan: wall time (load + bundle from cache + observe + plan) and API requests;
 * - apply of a change to 1 service (plan + apply) vs `wrangler deploy` of all 100, measured on a
 *   sample of services and extrapolated linearly (said so in the notes).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { seedScripts, startEdge, type Edge } from '../edge/src/index.ts';
import { checkFleet, loadFleet } from '../fleet/index.ts';
import { uploadForm, versionMessage } from './api/multipart.ts';
import { buildDesiredState } from './desired/build.ts';
import { median, medianOf, type BenchResult } from '../bench/index.ts';
import { applySession } from './run/apply.ts';
import { observeAndPlan, openSession } from './run/session.ts';
import { planActions } from './plan/plan.ts';
import { createFixtureFleet, writeService, type FixtureService } from './synthetic/fleet.ts';

const run = promisify(execFile);
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface GitopsBenchOptions {
  services?: number;
  /** Services deployed with real wrangler to extrapolate "wrangler deploy all". */
  wranglerSample?: number;
  /** Repeats of the no-op plan and of the 1-service apply; the rows are their medians. */
  runs?: number;
}

/** The registered bench's sizes: full run and `--quick`. */
export function gitopsBenchSizes(quick: boolean): Required<GitopsBenchOptions> {
  return quick ? { services: 10, wranglerSample: 1, runs: 1 } : { services: 100, wranglerSample: 3, runs: 3 };
}

/**
 * Writes the fleet into a (not yet started) edge's state in one go: per service the very multipart
 * upload `create-script` sends (owner tag, annotations), and its routes.
 */
export async function seedFleet(rootDir: string, stateDir: string, accountId: string, token: string): Promise<void> {
  const fleet = await loadFleet(rootDir);
  checkFleet(fleet);
  const { desired, bundles } = await buildDesiredState(fleet, { cacheDir: join(rootDir, 'node_modules', '.cache', 'edgeops', 'bundles'), commit: 'bench' });
  const scripts = desired.services.map((service) => {
    const bundle = bundles.get(service.name);
    if (!bundle) throw new Error(`no bundle for ${service.name}`);
    const upload = uploadForm({
      metadata: service.metadata,
      bundle,
      tags: [desired.owner],
      annotations: { 'workers/tag': service.version, 'workers/message': versionMessage(desired.commit, service.contentHash) },
      secrets: {},
      keepSecrets: false,
    });
    return { name: service.name, upload, routes: service.routes.map((route) => ({ zone: route.zoneName ?? 'example.com', pattern: route.pattern })) };
  });
  await seedScripts({ stateDir, zones: ['example.com'], accountId, token }, scripts);
}

export async function runGitopsBench(options: GitopsBenchOptions = {}): Promise<BenchResult> {
  process.env.WRANGLER_SEND_METRICS = 'false';
  const count = options.services ?? 100;
  const sample = options.wranglerSample ?? 3;
  const runs = options.runs ?? 3;
  const services: FixtureService[] = Array.from({ length: count }, (_, index) => ({ name: `svc${String(index).padStart(3, '0')}`, routes: [`example.com/svc${index}/*`] }));
  const rootDir = await createFixtureFleet(services, 'owner = "bench"');
  const stateDir = await mkdtemp(join(tmpdir(), 'gitops-bench-edge-'));
  const endpoint = { apiUrl: '', accountId: randomBytes(16).toString('hex'), token: randomBytes(24).toString('base64url') };
  const quiet = { env: { ...process.env }, endpoint };
  let edge: Edge | undefined;
  try {
    const setupStart = Date.now();
    await seedFleet(rootDir, stateDir, endpoint.accountId, endpoint.token);
    edge = await startEdge({ stateDir, apiPort: 0, dataPort: 0, zones: ['example.com'] });
    endpoint.apiUrl = edge.apiUrl;
    const setupMs = Date.now() - setupStart;

    // First plan: cold version cache (one version-detail call per deployed version), must be empty.
    const coldSession = await openSession({ rootDir, target: 'local', ...quiet });
    const { plan: cold } = await observeAndPlan(coldSession, {});
    const coldCalls = coldSession.client.requests;
    let noopCalls = 0;
    if (planActions(cold).length !== 0) throw new Error(`the seeded fleet does not plan empty: ${planActions(cold).map((action) => action.reason).join('; ')}`);

    const noopRuns = await medianOf(runs, async () => {
      const noopStart = Date.now();
      const noopSession = await openSession({ rootDir, target: 'local', ...quiet });
      const { plan: noop } = await observeAndPlan(noopSession, {});
      const elapsed = Date.now() - noopStart;
      noopCalls = noopSession.client.requests;
      if (planActions(noop).length !== 0) throw new Error('the no-op plan is not empty');
      return elapsed;
    });
    const noopMs = Math.round(noopRuns.median);

    const first = services[0] as FixtureService;
    const changeRuns = await medianOf(runs, async (index) => {
      await writeService(rootDir, { ...first, version: `1.0.${index + 1}`, message: `changed ${index + 1}` });
      const changeStart = Date.now();
      const changeSession = await openSession({ rootDir, target: 'local', ...quiet });
      const change = await applySession(changeSession, {});
      const elapsed = Date.now() - changeStart;
      if (!change.result?.ok) throw new Error('the 1-service apply failed');
      return elapsed;
    });
    const changeMs = Math.round(changeRuns.median);

    const wranglerTimes: number[] = [];
    for (const service of services.slice(1, 1 + sample)) {
      const started = Date.now();
      await run(join(REPO_ROOT, 'node_modules', '.bin', 'wrangler'), ['deploy'], {
        cwd: join(rootDir, 'services', service.name),
        env: {
          ...process.env,
          WRANGLER_SEND_METRICS: 'false',
          CI: '1',
          CLOUDFLARE_API_BASE_URL: endpoint.apiUrl,
          CLOUDFLARE_API_TOKEN: endpoint.token,
          CLOUDFLARE_ACCOUNT_ID: endpoint.accountId,
        },
      });
      wranglerTimes.push(Date.now() - started);
    }
    const perService = median(wranglerTimes);
    const wranglerAllMs = perService * count;
    const speedup = wranglerAllMs / changeMs;
    return {
      rows: [
        { metric: `no-op plan, ${count} services`, value: noopMs, unit: 'ms', goal: '< 3000', ok: noopMs < 3000 },
        { metric: 'no-op plan API requests', value: noopCalls, unit: 'requests', goal: `<= ${count} + 10`, ok: noopCalls <= count + 10 },
        { metric: 'no-op plan API requests, cold version cache', value: coldCalls, unit: 'requests' },
        { metric: 'apply a change to 1 service (plan + apply)', value: changeMs, unit: 'ms' },
        { metric: `wrangler deploy, all ${count} (extrapolated)`, value: Math.round(wranglerAllMs), unit: 'ms' },
        { metric: '1-service apply speed-up vs wrangler deploy all', value: Number(speedup.toFixed(1)), unit: '×', goal: '>= 20', ok: speedup >= 20 },
        { metric: `seed ${count} services + start the edge (setup)`, value: setupMs, unit: 'ms' },
      ],
      notes: [
        `setup seeds the edge's store with the ${count} services in one transaction (the same multipart uploads apply sends, parsed by the edge's own upload parser) and then starts the edge once: applying them through the API would run a startup check and restart a data-plane shard on each of ~${2 * count} changes.`,
        `wrangler deploy was run for ${wranglerTimes.length} of ${count} services against the same edge (${wranglerTimes.map((ms) => `${ms} ms`).join(', ')}); "all ${count}" is their median × ${count}, extrapolated linearly.`,
        `the no-op plan includes loading the fleet, bundling from the cache, observing and planning; requests: constant (scripts ×2, zones, domains, queues, KV namespaces, D1 databases, routes per zone) + one deployments call per service.`,
        `no-op plan and 1-service apply: medians of ${runs} runs each (no-op ${noopRuns.samples.join(', ')} ms; apply ${changeRuns.samples.join(', ')} ms).`,
        'the cold-cache count adds one version-detail call per deployed version (annotations are cached by version id afterwards; they never change).',
      ],
    };
  } finally {
    await edge?.stop();
    await rm(stateDir, { recursive: true, force: true });
    await rm(rootDir, { recursive: true, force: true });
  }
}
