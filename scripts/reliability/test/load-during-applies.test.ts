/**
 * Zero-downtime applies (issue 12): 8 keep-alive connections read and write `users` on a local edge
 * while 3 new versions of it are applied. Before the data plane's listener held requests across
 * workerd's restart, each apply refused or reset a share of them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyExampleFleet } from '../../fleet/testing.ts';
import { startTestEdge, type TestEdge } from '../../gitops/test/support/edge.ts';
import { applyUsersVersion, deployFleet, keepUsersAlone, loadDuringApplies } from '../apply-load.ts';

let edge: TestEdge;
let fleet: Awaited<ReturnType<typeof copyExampleFleet>>;
beforeAll(async () => {
  edge = await startTestEdge();
  fleet = await copyExampleFleet();
  await keepUsersAlone(fleet.rootDir);
  await deployFleet(fleet.rootDir, edge.endpoint);
});
afterAll(async () => {
  await edge?.cleanup();
  await fleet?.remove();
});

describe('load during applies', () => {
  it('load during applies: 3 applies of a new users version under 8 connections fail no request, and every acknowledged write reads back', async () => {
    const result = await loadDuringApplies({
      dataUrl: edge.edge.url,
      connections: 8,
      applies: 3,
      apply: (index) => applyUsersVersion(fleet.rootDir, edge.endpoint, `9.0.${index}`),
    });
    expect(result.failures).toEqual([]);
    expect(result.failed).toBe(0);
    expect(result.duringApplies, 'the load overlapped the applies').toBeGreaterThan(0);
    expect(result.acknowledgedWrites).toBeGreaterThan(0);
    expect(result.lostWrites).toBe(0);
  });
});
