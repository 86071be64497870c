/**
 * The `fault-schedules` bench: seeds 1…N of the seeded fault schedules over applies, on one local
 * edge and one two-service fleet (a new version each seed). Every run must converge or stop
 * cleanly, every rerun converge, the unmanaged Worker stay untouched.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchResult } from '../bench/result.ts';
import { startEdge } from '../edge/src/index.ts';
import { createFixtureFleet, exampleServices, removeFixtureFleets } from '../gitops/synthetic/fleet.ts';
import { applyUnderFaults, deployUnmanaged, type FaultRun } from './apply-under-faults.ts';

export const FAULT_SEEDS = 200;
export const QUICK_FAULT_SEEDS = 3;

export async function runFaultScheduleBench(seeds = FAULT_SEEDS): Promise<BenchResult> {
  const stateDir = await mkdtemp(join(tmpdir(), 'bench-fault-schedules-'));
  const edge = await startEdge({ stateDir, apiPort: 0, dataPort: 0, zones: ['example.com'] });
  const runs: FaultRun[] = [];
  const started = performance.now();
  try {
    const services = exampleServices('fb').slice(0, 2);
    const rootDir = await createFixtureFleet(services);
    const unmanaged = await deployUnmanaged(edge, 'not-in-the-fleet');
    for (let seed = 1; seed <= seeds; seed += 1) runs.push(await applyUnderFaults(edge, rootDir, services, seed, unmanaged));
  } finally {
    await edge.stop();
    await rm(stateDir, { recursive: true, force: true });
    await removeFixtureFleets();
  }
  const minutes = (performance.now() - started) / 60_000;
  const notConverged = runs.filter((run) => !run.rerunConverged);
  const touched = runs.filter((run) => !run.unmanagedUntouched);
  const count = (predicate: (run: FaultRun) => boolean): number => runs.filter(predicate).length;
  return {
    rows: [
      { metric: 'seeds', value: runs.length, unit: 'runs' },
      { metric: 'apply under faults converged', value: count((run) => run.first === 'converged'), unit: 'runs' },
      { metric: 'apply under faults stopped cleanly (reported failure)', value: count((run) => run.first === 'stopped'), unit: 'runs' },
      { metric: 'requests disturbed by faults', value: runs.reduce((sum, run) => sum + run.disturbed, 0), unit: 'requests' },
      { metric: 'rerun without faults did not converge', value: notConverged.length, unit: 'runs', goal: '= 0', ok: notConverged.length === 0 },
      { metric: 'unmanaged Worker changed', value: touched.length, unit: 'runs', goal: '= 0', ok: touched.length === 0 },
      { metric: 'runs unconverged or touching the unmanaged Worker / seeds', value: runs.length === 0 ? 0 : count((run) => !run.rerunConverged || !run.unmanagedUntouched) / runs.length, unit: 'ratio', goal: '= 0', ok: notConverged.length + touched.length === 0 },
    ],
    notes: [
      `seeds 1–${seeds}, 1–4 faults each (5xx, dropped connection, 429 with retry-after 0–1 s, 10–800 ms delay; 1–3 times or on every matching call) on a 2-service fleet, ${minutes.toFixed(1)} min`,
      ...[...notConverged, ...touched].slice(0, 5).map((run) => `seed ${run.seed} (${run.schedule}): ${run.reason ?? 'rerun did not converge'}`),
    ],
  };
}
