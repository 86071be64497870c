import { request } from 'node:http';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyExampleFleet } from '../../fleet/testing.ts';
import { CloudflareClient } from '../api/client.ts';
import { listDeployments, listKvNamespaces, listD1Databases, listQueues, listRoutes, listScripts, listZones } from '../api/cloudflare.ts';
import { gitops } from './support/cli.ts';
import { dataPlaneGet, startTestEdge, type TestEdge } from './support/edge.ts';

let edge: TestEdge;
let fleetCopy: Awaited<ReturnType<typeof copyExampleFleet>>;

beforeAll(async () => {
  edge = await startTestEdge();
  fleetCopy = await copyExampleFleet();
}, 120_000);
afterAll(async () => {
  await edge?.cleanup();
  await fleetCopy?.remove();
});

/** A JSON POST to the data plane as a client of `url` would send it. */
function dataPlanePost(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const target = new URL(url);
  const plane = new URL(edge.edge.url);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: plane.hostname, port: plane.port, path: target.pathname, method: 'POST', headers: { host: target.host, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** What one owner tag holds on the account: scripts with their deployments, and the routes they serve. */
async function holdings(tag: string): Promise<unknown> {
  const client = new CloudflareClient(edge.endpoint);
  const scripts = (await listScripts(client, tag)).map((script) => script.id).sort();
  const deployments = await Promise.all(scripts.map(async (script) => ({ script, deployments: await listDeployments(client, script) })));
  const zones = await listZones(client);
  const routes = (await Promise.all(zones.map((zone) => listRoutes(client, zone.id)))).flat().filter((route) => typeof route.script === 'string' && scripts.includes(route.script));
  return { scripts, deployments, routes: routes.sort((a, b) => a.pattern.localeCompare(b.pattern)) };
}

async function resourceNames(): Promise<{ kv: string[]; d1: string[]; queues: string[] }> {
  const client = new CloudflareClient(edge.endpoint);
  return {
    kv: (await listKvNamespaces(client)).map((namespace) => namespace.title).sort(),
    d1: (await listD1Databases(client)).map((database) => database.name).sort(),
    queues: (await listQueues(client)).map((queue) => queue.queue_name).sort(),
  };
}

describe('environments on one local edge', () => {
  it('production and staging side by side: own Workers, hosts, bindings and data; one never touches the other', { timeout: 600_000 }, async () => {
    const rootDir = fleetCopy.rootDir;
    const production = await gitops(rootDir, ['apply', '--yes'], edge);
    expect(production.code, production.all).toBe(0);
    const staging = await gitops(rootDir, ['apply', '--env', 'staging', '--yes'], edge);
    expect(staging.code, staging.all).toBe(0);

    expect((await holdings('edgeops-example-staging')) as { scripts: string[] }).toMatchObject({ scripts: ['notifications-staging', 'orders-staging', 'users-staging'] });
    expect((await holdings('edgeops-example')) as { scripts: string[] }).toMatchObject({ scripts: ['notifications', 'orders', 'users'] });
    expect(await resourceNames()).toEqual({
      kv: ['notifications-notifications', 'notifications-staging-notifications', 'users-staging-users', 'users-users'],
      d1: ['orders', 'orders-staging'],
      queues: ['order-events', 'order-events-staging'],
    });

    // Each environment answers on its own host with its own data; orders-staging reaches users-staging.
    const user = await dataPlanePost('http://api.staging.example.com/users', { email: 'ada@example.com', name: 'Ada' });
    expect(user.status).toBe(201);
    const order = await dataPlanePost('http://api.staging.example.com/orders', { userId: user.json.id, items: [{ sku: 'tea', quantity: 2, unitPriceCents: 350 }] });
    expect(order.status, JSON.stringify(order.json)).toBe(201);
    expect((await dataPlaneGet(edge.edge, 'http://api.example.com/users')).json()).toMatchObject({ users: [] });
    const inProduction = await dataPlanePost('http://api.example.com/orders', { userId: user.json.id, items: [{ sku: 'tea', quantity: 1, unitPriceCents: 350 }] });
    expect(inProduction.status).toBe(422);

    // Plans agree that nothing is left to do, and neither sees the other's scripts as orphans.
    for (const args of [['plan', '--prune'], ['plan', '--env', 'staging', '--prune']]) {
      const plan = await gitops(rootDir, args, edge);
      expect(plan.code, plan.all).toBe(0);
    }
    const status = await gitops(rootDir, ['status', '--env', 'staging', '--json'], edge);
    expect(status.code, status.all).toBe(0);
    expect(status.out).toContain('orders-staging');
    expect(status.out).not.toContain('"orders"');

    // Prune in staging removes staging's script only; production stays exactly as it was.
    const before = await holdings('edgeops-example');
    await rm(join(rootDir, 'services', 'notifications'), { recursive: true, force: true });
    const pruned = await gitops(rootDir, ['apply', '--env', 'staging', '--prune', '--yes'], edge);
    expect(pruned.code, pruned.all).toBe(0);
    expect((await holdings('edgeops-example-staging')) as { scripts: string[] }).toMatchObject({ scripts: ['orders-staging', 'users-staging'] });
    expect(await holdings('edgeops-example')).toEqual(before);
    expect((await dataPlaneGet(edge.edge, 'http://api.example.com/notifications')).status).toBe(200);
  });

  it('a named environment reads its own credential variables on target cloudflare', { timeout: 300_000 }, async () => {
    const env = { CLOUDFLARE_API_TOKEN_STAGING: edge.endpoint.token, CLOUDFLARE_ACCOUNT_ID_STAGING: edge.endpoint.accountId, CLOUDFLARE_API_BASE_URL: edge.endpoint.apiUrl, CLOUDFLARE_API_TOKEN: '', CLOUDFLARE_ACCOUNT_ID: '' };
    const plan = await gitops(fleetCopy.rootDir, ['plan', '--target', 'cloudflare', '--env', 'staging'], edge, env);
    expect(plan.out).toContain('owner tag "edgeops-example-staging"');
    expect(plan.all).not.toContain(edge.endpoint.token);
  });

  it('an unknown environment is a configuration error naming file and key, before any API call', async () => {
    // No endpoint file: reaching the target would fail differently.
    const run = await gitops(fleetCopy.rootDir, ['plan', '--env', 'qa'], edge, {}, join(fleetCopy.rootDir, 'no-endpoint.json'));
    expect(run.code).toBe(1);
    expect(run.err).toContain('Configuration error, nothing was called');
    expect(run.err).toContain('wrangler.toml: env.qa: no environment "qa" is declared');
  });
});
