import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyExampleFleet } from '../../fleet/testing.ts';
import { reconcile } from '../index.ts';
import { dataPlaneGet, startTestEdge, type TestEdge } from './support/edge.ts';

let edge: TestEdge;
let copy: Awaited<ReturnType<typeof copyExampleFleet>>;
let rootDir: string;

beforeAll(async () => {
  edge = await startTestEdge();
  // The example services alone: services a user adds never change this test.
  copy = await copyExampleFleet();
  rootDir = copy.rootDir;
});
afterAll(async () => {
  await edge?.cleanup();
  await copy?.remove();
});

describe('reconcile: the example fleet', () => {
  it('reconcile: brings the example fleet up on a local edge (what npm start runs), and a second run changes nothing', async () => {
    const printed: string[] = [];
    const output = { out: (text: string) => printed.push(text), err: (text: string) => printed.push(text) };
    const first = await reconcile({ rootDir, target: 'local', endpoint: edge.endpoint, yes: true, output });
    expect(first.plan.errors).toEqual([]);
    expect(first.result?.ok, printed.join('\n')).toBe(true);
    expect(first.plan.services.map((service) => `${service.service}:${service.status}`).sort()).toEqual(['notifications:create', 'orders:create', 'users:create']);
    expect(printed.join('\n')).toContain('Apply complete');
    // The example fleet's KV/D1 bindings carry no ids: their resources are created by name.
    const created = first.plan.waves.flatMap((wave) => wave.actions).flatMap((action) =>
      action.kind === 'create-kv-namespace' ? [`kv ${action.title}`] : action.kind === 'create-d1-database' ? [`d1 ${action.database}`] : [],
    );
    expect(created.sort()).toEqual(['d1 orders', 'kv notifications-notifications', 'kv users-users']);

    for (const path of ['/users', '/orders', '/notifications']) {
      const answer = await dataPlaneGet(edge.edge, `http://api.example.com${path}`);
      expect(answer.status, `${path}: ${answer.body}`).toBeLessThan(500);
      expect(answer.status, `${path} is routed to a Worker`).not.toBe(404);
    }

    const second = await reconcile({ rootDir, target: 'local', endpoint: edge.endpoint, yes: true, output });
    expect(second.result).toBeUndefined();
    expect(second.plan.waves).toEqual([]);
  });
});
