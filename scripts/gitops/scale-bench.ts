/**
 * How the local edge and the reconciler scale with the fleet (registered in scripts/bench/registry.ts
 * as `scale`): for each fleet size, a synthetic fleet seeded into a stopped edge, the edge started
 * once, then the edge's memory (RSS of this node process and of its workerd processes, one per
 * data-plane shard), the time of a 1-service apply (it restarts the one shard holding the service,
 * at most 16 version Workers, and starts that service alone for its startup check) and the no-op
 * plan's time and API calls. Each time is the median of repeated runs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { medianOf, processTreeMemory, round, type BenchResult, type BenchRow } from '../bench/index.ts';
import { startEdge, type Edge } from '../edge/src/index.ts';
import { seedFleet } from './bench.ts';
import { planActions } from './plan/plan.ts';
import { applySession } from './run/apply.ts';
import { observeAndPlan, openSession } from './run/session.ts';
import { createFixtureFleet, writeService, type FixtureService } from './synthetic/fleet.ts';

export interface ScaleBenchOptions {
  /** Fleet sizes, smallest first: the apply goal compares the largest with the smallest. */
  sizes: number[];
  runs: number;
}

/** The registered bench's sizes: full run and `--quick`. */
export function scaleBenchSizes(quick: boolean): ScaleBenchOptions {
  return quick ? { sizes: [3, 10], runs: 1 } : { sizes: [10, 100, 300], runs: 3 };
}

const APPLY_GROWTH_GOAL = 3;

interface SizeFigures {
  count: number;
  startMs: number;
  memory: { nodeMiB: number; childrenMiB: number } | undefined;
  applyMs: number;
  noopMs: number;
  noopCalls: number;
}

async function measureSize(count: number, runs: number): Promise<SizeFigures> {
  const services: FixtureService[] = Array.from({ length: count }, (_, index) => ({ name: `scale${String(index).padStart(3, '0')}`, routes: [`example.com/scale${index}/*`] }));
  const rootDir = await createFixtureFleet(services, 'owner = "bench"');
  const stateDir = await mkdtemp(join(tmpdir(), 'gitops-scale-edge-'));
  const endpoint = { apiUrl: '', accountId: randomBytes(16).toString('hex'), token: randomBytes(24).toString('base64url') };
  let edge: Edge | undefined;
  try {
    await seedFleet(rootDir, stateDir, endpoint.accountId, endpoint.token);
    const startBegin = performance.now();
    edge = await startEdge({ stateDir, apiPort: 0, dataPort: 0, zones: ['example.com'] });
    const startMs = performance.now() - startBegin;
    endpoint.apiUrl = edge.apiUrl;
    const session = { env: { ...process.env }, endpoint, rootDir, target: 'local' as const };
    // Warm the version cache (one version-detail call per version), as a repeated plan would have it.
    await observeAndPlan(await openSession(session), {});
    const memory = await processTreeMemory();
    let noopCalls = 0;
    const noop = await medianOf(runs, async () => {
      const started = performance.now();
      const noopSession = await openSession(session);
      const { plan } = await observeAndPlan(noopSession, {});
      const elapsed = performance.now() - started;
      if (planActions(plan).length !== 0) throw new Error(`the seeded ${count}-service fleet does not plan empty: ${planActions(plan).map((action) => action.reason).join('; ')}`);
      noopCalls = noopSession.client.requests;
      return elapsed;
    });
    const first = services[0] as FixtureService;
    const apply = await medianOf(runs, async (index) => {
      await writeService(rootDir, { ...first, version: `1.0.${index + 1}`, message: `changed ${index + 1}` });
      const started = performance.now();
      const change = await applySession(await openSession(session), {});
      const elapsed = performance.now() - started;
      if (!change.result?.ok) throw new Error(`the 1-service apply on ${count} services failed`);
      return elapsed;
    });
    return { count, startMs, memory, applyMs: apply.median, noopMs: noop.median, noopCalls };
  } finally {
    await edge?.stop();
    await rm(stateDir, { recursive: true, force: true });
    await rm(rootDir, { recursive: true, force: true });
  }
}

export async function runScaleBench(options: ScaleBenchOptions): Promise<BenchResult> {
  const figures: SizeFigures[] = [];
  for (const count of options.sizes) figures.push(await measureSize(count, options.runs));
  const rows: BenchRow[] = figures.flatMap((size) => [
    { metric: `${size.count} services: edge start (seeded)`, value: round(size.startMs, 0), unit: 'ms' },
    ...(size.memory
      ? [
          { metric: `${size.count} services: RSS node (control plane + bench)`, value: round(size.memory.nodeMiB, 0), unit: 'MiB' },
          { metric: `${size.count} services: RSS workerd (data plane)`, value: round(size.memory.childrenMiB, 0), unit: 'MiB' },
        ]
      : []),
    { metric: `${size.count} services: 1-service apply`, value: round(size.applyMs, 0), unit: 'ms' },
    { metric: `${size.count} services: no-op plan`, value: round(size.noopMs, 0), unit: 'ms' },
    { metric: `${size.count} services: no-op plan API requests`, value: size.noopCalls, unit: 'requests' },
  ]);
  const smallest = figures[0] as SizeFigures;
  const largest = figures.at(-1) as SizeFigures;
  const growth = largest.applyMs / smallest.applyMs;
  rows.push(
    { metric: `1-service apply, ${largest.count} / ${smallest.count} services`, value: round(growth, 2), unit: 'ratio', goal: `< ${APPLY_GROWTH_GOAL}`, ok: growth < APPLY_GROWTH_GOAL },
    { metric: `no-op plan, ${largest.count} / ${smallest.count} services`, value: round(largest.noopMs / smallest.noopMs, 2), unit: 'ratio' },
  );
  return {
    rows,
    notes: [
      `fleet sizes ${options.sizes.join(', ')}: tiny synthetic services, each with one route, seeded into a stopped edge (seedScripts) and the edge started once; apply and no-op plan are medians of ${options.runs} run(s), the no-op plan with a warm version cache.`,
      'RSS is read from /proc after the first plan: node = this process (the edge\'s control plane, plus the bench runner itself), workerd = its child processes (the data plane: one workerd per shard).',
      'the 1-service apply restarts only the data-plane shard holding the service (scripts that share nothing are packed up to 16 version Workers per workerd; docs/local-edge.md, "Shards") and its startup check starts that service alone; what still grows with the fleet is the control plane\'s work per apply (state, snapshot, plan).',
    ],
  };
}
