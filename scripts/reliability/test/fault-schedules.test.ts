/**
 * Seeded fault schedules over applies (a few seeds here; `npm run bench -- fault-schedules` runs
 * 200): under each schedule the apply converges or stops cleanly, a rerun without faults converges,
 * and a Worker the fleet does not manage is untouched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEdge, type TestEdge } from '../../gitops/test/support/edge.ts';
import { createFixtureFleet, exampleServices } from '../../gitops/synthetic/fleet.ts';
import { applyUnderFaults, deployUnmanaged } from '../apply-under-faults.ts';
import { faultSchedule } from '../fault-schedule.ts';

let edge: TestEdge;
beforeAll(async () => {
  edge = await startTestEdge();
}, 120_000);
afterAll(async () => {
  await edge?.cleanup();
});

describe('seeded fault schedules over applies', { timeout: 300_000 }, () => {
  it('a seed is a whole schedule: the same seed gives the same faults', () => {
    expect(faultSchedule(6)).toEqual(faultSchedule(6));
    expect(faultSchedule(6)).not.toEqual(faultSchedule(7));
  });

  it('under seeds 1, 2 and 6 every apply converges or stops cleanly, a rerun converges, the unmanaged Worker is untouched', async () => {
    const services = exampleServices('fs').slice(0, 2);
    const rootDir = await createFixtureFleet(services);
    const unmanaged = await deployUnmanaged(edge.edge, 'not-in-the-fleet');
    const runs = [];
    for (const seed of [1, 2, 6]) runs.push(await applyUnderFaults(edge.edge, rootDir, services, seed, unmanaged));
    for (const run of runs) {
      expect(run.rerunConverged, `seed ${run.seed} (${run.schedule}): ${run.reason ?? ''}`).toBe(true);
      expect(run.unmanagedUntouched, `seed ${run.seed}`).toBe(true);
      expect(run.disturbed, `seed ${run.seed}: its faults were hit`).toBeGreaterThan(0);
    }
    // Seed 6 refuses every version upload: that apply cannot finish and must say why.
    expect(runs.find((run) => run.seed === 6)).toMatchObject({ first: 'stopped', reason: expect.stringMatching(/429|rate/i) });
  });
});
