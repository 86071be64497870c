import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_SERVICES, REPO_ROOT } from '../../fleet/testing.ts';
import { reconcile } from '../index.ts';
import { dataPlaneGet, startTestEdge, type TestEdge } from './support/edge.ts';

let edge: TestEdge;
let rootDir: string;

/**
 * A temp copy of the repository's example fleet (its example services + root wrangler.toml), sharing
 * node_modules and shared/; services a user adds are left out, so they never change this test.
 */
async function copyExampleFleet(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gitops-example-'));
  for (const name of EXAMPLE_SERVICES) {
    await cp(join(REPO_ROOT, 'services', name), join(dir, 'services', name), {
      recursive: true,
      filter: (source) => !/[/\\](node_modules|\.wrangler)([/\\]|$)/.test(source),
    });
  }
  await cp(join(REPO_ROOT, 'wrangler.toml'), join(dir, 'wrangler.toml'));
  await symlink(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'));
  await symlink(join(REPO_ROOT, 'shared'), join(dir, 'shared'));
  return dir;
}

beforeAll(async () => {
  edge = await startTestEdge();
  rootDir = await copyExampleFleet();
});
afterAll(async () => {
  await edge?.cleanup();
  // Removes the copy; its node_modules and shared/ are symlinks, removed as links (never followed).
  if (rootDir) await rm(rootDir, { recursive: true, force: true });
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
