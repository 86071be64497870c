import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { appendFile, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { copyExampleFleet } from '../../fleet/testing.ts';
import { CloudflareClient } from '../api/client.ts';
import { listKvNamespaces, listD1Databases, listQueues } from '../api/cloudflare.ts';
import type { StatusRow } from '../run/status.ts';
import { gitops } from './support/cli.ts';
import { dataPlaneGet, startTestEdge, type TestEdge } from './support/edge.ts';
import { holdings as holdingsOf } from './support/holdings.ts';

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
function dataPlanePost(url: string, body: unknown, plane = new URL(edge.edge.url)): Promise<{ status: number; json: Record<string, unknown> }> {
  const target = new URL(url);
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

/** What one owner tag holds on this file's edge (or another). */
function holdings(tag: string, on: TestEdge = edge): ReturnType<typeof holdingsOf> {
  return holdingsOf(tag, on);
}

async function resourceNames(on: TestEdge = edge): Promise<{ kv: string[]; d1: string[]; queues: string[] }> {
  const client = new CloudflareClient(on.endpoint);
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
    // Tail events arrive after the answers: wait until the edge has counted the staging order.
    await vi.waitFor(() => expect(edge.edge.invocations.between().filter((invocation) => invocation.script === 'orders-staging')).toHaveLength(1), { timeout: 30_000, interval: 100 });
    const status = await gitops(rootDir, ['status', '--env', 'staging', '--json'], edge);
    expect(status.code, status.all).toBe(0);
    expect(status.out).toContain('orders-staging');
    expect(status.out).not.toContain('"orders"');
    // Its traffic is staging's own: the one order posted to api.staging.example.com.
    const ordersStaging = (JSON.parse(status.out) as StatusRow[]).find((row) => row.service === 'orders-staging');
    expect(ordersStaging?.traffic).toMatchObject({ versions: [{ percentage: 100, requests: 1, errors: 0, errorRate: 0 }] });

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
    const missing = await gitops(fleetCopy.rootDir, ['plan', '--target', 'cloudflare', '--env', 'staging'], edge, { ...env, CLOUDFLARE_API_TOKEN_STAGING: '', CLOUDFLARE_API_TOKEN: edge.endpoint.token });
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('target cloudflare in environment "staging" needs CLOUDFLARE_API_TOKEN_STAGING in the environment');
  });

  it('an unknown environment is a configuration error naming file and key, before any API call', async () => {
    // No endpoint file: reaching the target would fail differently.
    const run = await gitops(fleetCopy.rootDir, ['plan', '--env', 'qa'], edge, {}, join(fleetCopy.rootDir, 'no-endpoint.json'));
    expect(run.code).toBe(1);
    expect(run.err).toContain('Configuration error, nothing was called');
    expect(run.err).toContain('wrangler.toml: env.qa: no environment "qa" is declared');
  });
});

const git = promisify(execFile);

describe('pull-request previews on one local edge', () => {
  let previewEdge: TestEdge;
  let copy: Awaited<ReturnType<typeof copyExampleFleet>>;
  beforeAll(async () => {
    previewEdge = await startTestEdge();
    copy = await copyExampleFleet();
    const run = (...args: string[]) => git('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], { cwd: copy.rootDir });
    await run('init', '-q', '-b', 'main');
    await run('add', '-A');
    await run('commit', '-q', '-m', 'the fleet');
  }, 120_000);
  afterAll(async () => {
    await previewEdge?.cleanup();
    await copy?.remove();
  });

  it('two previews beside staging and production: changed services and dependants, bound to the preview copy or staging; teardown of one leaves everything else as it was', { timeout: 900_000 }, async () => {
    const rootDir = copy.rootDir;
    const cli = (args: string[]) => gitops(rootDir, args, previewEdge, {}, previewEdge.endpointFile);
    const plane = new URL(previewEdge.edge.url);
    for (const args of [['apply', '--yes'], ['apply', '--env', 'staging', '--yes']]) {
      const applied = await cli(args);
      expect(applied.code, applied.all).toBe(0);
    }
    const restore = () => git('git', ['checkout', '--', '.'], { cwd: rootDir });

    // PR 1 changes orders only: its copy binds staging's users.
    await appendFile(join(rootDir, 'services/orders/src/index.ts'), '\n// PR 1\n');
    const pr1 = await cli(['apply', '--env', 'pr-1', '--base', 'main', '--yes']);
    expect(pr1.code, pr1.all).toBe(0);
    await restore();
    // PR 2 changes users: users is previewed, and orders, which binds it, too.
    await appendFile(join(rootDir, 'services/users/src/index.ts'), '\n// PR 2\n');
    const pr2 = await cli(['apply', '--env', 'pr-2', '--base', 'main', '--yes']);
    await restore();
    expect(pr2.code, pr2.all).toBe(0);

    expect(await holdings('edgeops-example-pr-1', previewEdge)).toMatchObject({ scripts: ['orders-pr-1'], routes: [{ pattern: 'pr-1.api.staging.example.com/orders*' }] });
    expect(await holdings('edgeops-example-pr-2', previewEdge)).toMatchObject({ scripts: ['orders-pr-2', 'users-pr-2'] });

    const stagingUser = await dataPlanePost('http://api.staging.example.com/users', { email: 'grace@example.com', name: 'Grace' }, plane);
    expect(stagingUser.status).toBe(201);
    const items = [{ sku: 'tea', quantity: 1, unitPriceCents: 350 }];
    expect((await dataPlanePost('http://pr-1.api.staging.example.com/orders', { userId: stagingUser.json.id, items }, plane)).status).toBe(201);
    expect((await dataPlanePost('http://pr-2.api.staging.example.com/orders', { userId: stagingUser.json.id, items }, plane)).status).toBe(422);
    const previewUser = await dataPlanePost('http://pr-2.api.staging.example.com/users', { email: 'grace@example.com', name: 'Grace' }, plane);
    expect((await dataPlanePost('http://pr-2.api.staging.example.com/orders', { userId: previewUser.json.id, items }, plane)).status).toBe(201);

    const tags = ['edgeops-example', 'edgeops-example-staging', 'edgeops-example-pr-2'];
    const before = await Promise.all(tags.map((tag) => holdings(tag, previewEdge)));
    const resourcesBefore = await resourceNames(previewEdge);
    const torn = await cli(['teardown', '--env', 'pr-1', '--json']);
    expect(torn.code, torn.all).toBe(0);
    expect(JSON.parse(torn.out)).toEqual({
      scripts: ['orders-pr-1'],
      routes: ['pr-1.api.staging.example.com/orders*'],
      queues: ['order-events-pr-1'],
      kvNamespaces: [],
      d1Databases: ['orders-pr-1'],
    });
    expect(await holdings('edgeops-example-pr-1', previewEdge)).toMatchObject({ scripts: [], routes: [] });
    expect(await Promise.all(tags.map((tag) => holdings(tag, previewEdge)))).toEqual(before);
    const without = (names: string[]) => names.filter((name) => !name.endsWith('-pr-1'));
    expect(await resourceNames(previewEdge)).toEqual({ kv: resourcesBefore.kv, d1: without(resourcesBefore.d1), queues: without(resourcesBefore.queues) });
    expect(resourcesBefore.d1).toContain('orders-pr-2');
    expect((await dataPlanePost('http://pr-2.api.staging.example.com/orders', { userId: previewUser.json.id, items }, plane)).status).toBe(201);
  });

  it('a preview without --base, and teardown of a non-preview, are refused before any API call', async () => {
    const noBase = await gitops(copy.rootDir, ['plan', '--env', 'pr-3'], previewEdge, {}, join(copy.rootDir, 'no-endpoint.json'));
    expect(noBase.code).toBe(1);
    expect(noBase.err).toContain('needs the services it deploys: pass --base <ref>');
    const staging = await gitops(copy.rootDir, ['teardown', '--env', 'staging'], previewEdge, {}, join(copy.rootDir, 'no-endpoint.json'));
    expect(staging.code).toBe(1);
    expect(staging.err).toContain('expected --env pr-<number>');
  });
});
