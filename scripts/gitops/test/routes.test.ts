import { describe, expect, it } from 'vitest';
import type { CloudflareClient } from '../api/client.ts';
import { listRoutes, listScripts, listZones } from '../api/cloudflare.ts';
import { gitops } from './support/cli.ts';
import { dataPlaneGet, withTestEdge, type TestEdge } from './support/edge.ts';
import { putForeignScript } from './support/foreign.ts';
import { createFixtureFleet, exampleServices, removeService, writeService, type FixtureService } from '../synthetic/fleet.ts';

let edge: TestEdge;
let api: CloudflareClient;

withTestEdge((started, startedApi) => {
  edge = started;
  api = startedApi;
});

async function routesOf(prefix: string): Promise<Record<string, string | undefined>> {
  const [zone] = await listZones(api);
  const routes = await listRoutes(api, zone?.id ?? '');
  return Object.fromEntries(routes.filter((route) => route.pattern.startsWith(`example.com/${prefix}/`)).map((route) => [route.pattern, route.script ?? undefined]));
}

describe('reconciler against the local edge: routes, queues and ownership', () => {
  it('apply: creates the queues the fleet names and registers its consumers; messages flow', async () => {
    const rootDir = await createFixtureFleet([
      { name: 'q-orders', routes: ['example.com/q/orders*'], producers: { EVENTS: 'q-events' } },
      { name: 'q-mailer', routes: ['example.com/q/mailer*'], consumes: ['q-events'] },
    ]);
    const plan = await gitops(rootDir, ['plan'], edge);
    expect(plan.out).toContain('create queue q-events');
    expect(plan.out).toContain('register as consumer of queue q-events');
    const applied = await gitops(rootDir, ['apply', '--yes'], edge);
    expect(applied.code, applied.all).toBe(0);
    const queues = await api.request<{ queue_name: string; consumers: { script_name?: string; settings: Record<string, number> }[] }[]>('GET', api.accountPath('/queues'));
    expect(queues.result.find((queue) => queue.queue_name === 'q-events')?.consumers).toEqual([
      expect.objectContaining({ script_name: 'q-mailer', settings: expect.objectContaining({ batch_size: 1, max_wait_time_ms: 1000 }) }),
    ]);
    expect((await gitops(rootDir, ['plan'], edge)).code).toBe(0);

    expect((await dataPlaneGet(edge.edge, 'http://example.com/q/orders/send-events?n=1')).json()).toEqual({ sent: true });
    let received: unknown[] = [];
    for (let attempt = 0; attempt < 50 && received.length === 0; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      received = (await dataPlaneGet(edge.edge, 'http://example.com/q/mailer/received')).json().received as unknown[];
    }
    expect(received).toEqual([{ from: 'q-orders', at: '1' }]);
  });

  it('apply: routes added, moved to another service and removed are reconciled per zone', async () => {
    const [users, orders, notifications] = exampleServices('g') as [FixtureService, FixtureService, FixtureService];
    const rootDir = await createFixtureFleet([users, orders, notifications]);
    expect((await gitops(rootDir, ['apply', '--yes'], edge)).code).toBe(0);

    await writeService(rootDir, { ...users, routes: ['example.com/g/users*', 'example.com/g/orders*', 'example.com/g/people*'] });
    await writeService(rootDir, { ...orders, routes: [] });
    await writeService(rootDir, { ...notifications, routes: [] });
    const plan = await gitops(rootDir, ['plan'], edge);
    expect(plan.code).toBe(2);
    expect(plan.out).toContain('add route example.com/g/people* (zone example.com)');
    expect(plan.out).toMatch(/point route example\.com\/g\/orders\* here \(zone example\.com\)\n\s+moved from service "g-orders"/);
    expect(plan.out).toMatch(/remove route example\.com\/g\/notify\* \(zone example\.com\)\n\s+no longer declared in git/);

    expect((await gitops(rootDir, ['apply', '--yes'], edge)).code).toBe(0);
    expect(await routesOf('g')).toEqual({ 'example.com/g/users*': 'g-users', 'example.com/g/orders*': 'g-users', 'example.com/g/people*': 'g-users' });
    expect((await dataPlaneGet(edge.edge, 'http://example.com/g/orders')).json()).toMatchObject({ service: 'g-users' });
    expect((await dataPlaneGet(edge.edge, 'http://example.com/g/people/1')).json()).toMatchObject({ service: 'g-users' });
    expect((await dataPlaneGet(edge.edge, 'http://example.com/g/notify')).status).not.toBe(200);
    expect((await gitops(rootDir, ['plan'], edge)).code).toBe(0);
  });

  it('plan: a pattern held by a script the fleet does not own is a conflict, taken over only with --adopt', async () => {
    await putForeignScript(edge, 'h-legacy', 'example.com/h/users*');
    const rootDir = await createFixtureFleet(exampleServices('h'));
    edge.edge.faults.clearLog();
    const plan = await gitops(rootDir, ['plan'], edge);
    expect(plan.code).toBe(1);
    expect(plan.out).toMatch(/route "example\.com\/h\/users\*" in zone example\.com is held by script "h-legacy", which the fleet does not own \(owner tag "edgeops-test-\d+"\); remove it from git or re-run with --adopt/);
    const refused = await gitops(rootDir, ['apply', '--yes'], edge);
    expect(refused.code).toBe(1);
    expect(edge.edge.faults.log().filter((entry) => entry.method !== 'GET')).toEqual([]);

    const adopted = await gitops(rootDir, ['apply', '--yes', '--adopt'], edge);
    expect(adopted.code, adopted.all).toBe(0);
    expect((await routesOf('h'))['example.com/h/users*']).toBe('h-users');
    expect((await listScripts(api)).map((script) => script.id)).toContain('h-legacy');
  });

  it('ownership: created scripts carry the owner tag; scripts without it are never touched; removed services are always listed and pruned only with --prune', async () => {
    await putForeignScript(edge, 'i-bystander', 'example.com/i/bystander*');
    const rootDir = await createFixtureFleet(exampleServices('i'), 'owner = "owner-i"');
    expect((await gitops(rootDir, ['apply', '--yes'], edge)).code).toBe(0);
    expect((await listScripts(api, 'owner-i')).map((script) => script.id).sort()).toEqual(['i-notifications', 'i-orders', 'i-users']);

    await removeService(rootDir, 'i-notifications');
    const plan = await gitops(rootDir, ['plan'], edge);
    expect(plan.out).toMatch(/i-notifications\s+1\.0\.0 \(orphan: not in git\)\s+delete/);
    expect(plan.out).toMatch(/delete script\n\s+service is no longer declared in git \(not applied: pass --prune/);
    expect(plan.out).not.toContain('i-bystander');

    expect((await gitops(rootDir, ['apply', '--yes'], edge)).code).toBe(0);
    expect((await listScripts(api, 'owner-i')).map((script) => script.id)).toContain('i-notifications');

    const pruned = await gitops(rootDir, ['apply', '--yes', '--prune'], edge);
    expect(pruned.code, pruned.all).toBe(0);
    expect((await listScripts(api, 'owner-i')).map((script) => script.id).sort()).toEqual(['i-orders', 'i-users']);
    expect(await routesOf('i')).toEqual({ 'example.com/i/users*': 'i-users', 'example.com/i/orders*': 'i-orders', 'example.com/i/bystander*': 'i-bystander' });
    expect((await listScripts(api)).map((script) => script.id)).toContain('i-bystander');
    expect((await gitops(rootDir, ['plan', '--prune'], edge)).code).toBe(0);
  });
});
