import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchWithHost } from '../../edge/src/dataplane/client.ts';
import { copyExampleFleet } from '../../fleet/testing.ts';
import { startDevServer, type DevServer } from '../dev-server.ts';

const quiet = () => undefined;
const get = (server: DevServer, host: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
  fetchWithHost(server.url.origin, host, path, init);

/** A fleet of one service in a fresh temp dir: a root wrangler.toml, shared/src, and the service's files (paths under services/<name>/). */
async function oneServiceFleet(prefix: string, name: string, files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await writeFile(join(dir, 'wrangler.toml'), 'compatibility_date = "2026-04-01"\n');
  await mkdir(join(dir, 'shared/src'), { recursive: true });
  for (const [path, text] of Object.entries({ 'package.json': JSON.stringify({ name, version: '1.0.0' }), ...files })) {
    const file = join(dir, 'services', name, path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text);
  }
  return dir;
}

/**
 * Starts dev on a one-service fleet ({@link oneServiceFleet}) before the describe's tests and stops it
 * (and removes the fleet) after them.
 */
function devOnOneService(prefix: string, name: string, files: Record<string, string>, options: { watch: boolean }): { dir: string; server: DevServer } {
  const dev = {} as { dir: string; server: DevServer };
  beforeAll(async () => {
    dev.dir = await oneServiceFleet(prefix, name, files);
    dev.server = await startDevServer({ rootDir: dev.dir, host: '127.0.0.1', port: 0, persistDir: join(dev.dir, '.dev'), watch: options.watch, log: quiet });
  });
  afterAll(async () => {
    await dev.server?.close();
    await rm(dev.dir, { recursive: true, force: true });
  });
  return dev;
}

describe('dev: the example fleet in one Miniflare', () => {
  let server: DevServer;
  let persistDir: string;
  // The example fleet on its own: the services a user adds never change what this test expects.
  let fleet: Awaited<ReturnType<typeof copyExampleFleet>> | undefined;
  const logged: string[] = [];
  beforeAll(async () => {
    persistDir = await mkdtemp(join(tmpdir(), 'edgeops-dev-'));
    fleet = await copyExampleFleet();
    server = await startDevServer({ rootDir: fleet.rootDir, host: '127.0.0.1', port: 0, persistDir, watch: false, log: (line) => logged.push(line) });
  });
  afterAll(async () => {
    await server?.close();
    await rm(persistDir, { recursive: true, force: true });
    await fleet?.remove();
  });

  it('serves every service on its declared route, picked by the Host header', async () => {
    for (const path of ['/users', '/orders', '/notifications']) {
      const response = await get(server, 'api.example.com', path);
      expect(response.status, path).toBe(200);
    }
  });

  it('wires service bindings: an order for an unknown user is a 422', async () => {
    const response = await get(server, 'api.example.com', '/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'nobody', items: [{ sku: 'a', quantity: 1, unitPriceCents: 1 }] }),
    });
    expect(response.status).toBe(422);
  });

  it('schedules each service\'s Cron Triggers, and firing one runs the service\'s scheduled handler', async () => {
    expect(server.crons.upcoming()).toEqual([{ script: 'notifications', cron: '0 * * * *', next: expect.any(Date) }]);
    await server.crons.fireNow('notifications');
    expect(logged).toContain('cron 0 * * * * of notifications: ok');
  });

  it("applies the services' D1 migrations at start: orders lists by user through the index its second migration adds", async () => {
    expect(logged).toContain('applied D1 migration 0001_create_orders.sql to orders (DB)');
    expect(logged).toContain('applied D1 migration 0002_orders_by_user.sql to orders (DB)');
    const response = await get(server, 'api.example.com', '/orders?userId=someone');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ orders: [] });
  });

  it('runs Durable Objects and keeps their storage in the persist directory across a restart (users limits sign-ups per email)', async () => {
    const signUp = () =>
      get(server, 'api.example.com', '/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'dev-limit@example.com', name: 'Dev' }) });
    for (let attempt = 1; attempt <= 5; attempt += 1) expect((await signUp()).status).toBe(attempt === 1 ? 201 : 409);
    await server.close();
    server = await startDevServer({ rootDir: fleet!.rootDir, host: '127.0.0.1', port: 0, persistDir, watch: false, log: (line) => logged.push(line) });
    expect((await signUp()).status).toBe(429);
  });

  it('answers a request no route matches with a clear 404', async () => {
    const response = await get(server, 'elsewhere.example.org', '/users');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'no_route', message: expect.stringContaining('elsewhere.example.org/users') } });
  });
});

describe('dev: --env staging', () => {
  let server: DevServer;
  let persistDir: string;
  let fleet: Awaited<ReturnType<typeof copyExampleFleet>> | undefined;
  beforeAll(async () => {
    persistDir = await mkdtemp(join(tmpdir(), 'edgeops-dev-env-'));
    fleet = await copyExampleFleet();
    server = await startDevServer({ rootDir: fleet.rootDir, environment: 'staging', host: '127.0.0.1', port: 0, persistDir, watch: false, log: quiet });
  });
  afterAll(async () => {
    await server?.close();
    await rm(persistDir, { recursive: true, force: true });
    await fleet?.remove();
  });

  it("serves staging's Workers on staging's hosts, bound to each other", async () => {
    expect(server.fleet.services.map((service) => service.name)).toEqual(['notifications-staging', 'orders-staging', 'users-staging']);
    expect((await get(server, 'api.staging.example.com', '/users')).status).toBe(200);
    expect((await get(server, 'api.example.com', '/users')).status).toBe(404);
    const user = await get(server, 'api.staging.example.com', '/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'ada@example.com', name: 'Ada' }) });
    const { id } = (await user.json()) as { id: string };
    const order = await get(server, 'api.staging.example.com', '/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: id, items: [{ sku: 'a', quantity: 1, unitPriceCents: 1 }] }),
    });
    expect(order.status).toBe(201);
  });
});

describe('dev: reload on save', () => {
  const dev = devOnOneService('edgeops-dev-watch-', 'hello', {
    'wrangler.toml': 'name = "hello"\nmain = "src/index.ts"\nroutes = ["hello.example.com/*"]\n',
    'src/index.ts': 'export default { fetch: () => new Response("v1") };\n',
  }, { watch: true });

  it('serves the new code after a source file changes', async () => {
    expect(await (await get(dev.server, 'hello.example.com', '/')).text()).toBe('v1');
    await writeFile(join(dev.dir, 'services/hello/src/index.ts'), 'export default { fetch: () => new Response("v2") };\n');
    await expect.poll(async () => (await get(dev.server, 'hello.example.com', '/')).text(), { timeout: 15_000, interval: 250 }).toBe('v2');
  });

  it('keeps serving the last good build when a change does not build', async () => {
    await writeFile(join(dev.dir, 'services/hello/src/index.ts'), 'export default { fetch: ( => }\n');
    expect(await dev.server.reload()).toBe(false);
    expect(await (await get(dev.server, 'hello.example.com', '/')).text()).toBe('v2');
  });
  it('applies a D1 migration added with the code that needs it on reload', async () => {
    await writeFile(join(dev.dir, 'services/hello/wrangler.toml'), 'name = "hello"\nmain = "src/index.ts"\nroutes = ["hello.example.com/*"]\n\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "hello"\n');
    await mkdir(join(dev.dir, 'services/hello/migrations'), { recursive: true });
    await writeFile(join(dev.dir, 'services/hello/migrations/0001_greetings.sql'), "CREATE TABLE greetings (text TEXT);\nINSERT INTO greetings VALUES ('v3 from D1');\n");
    await writeFile(join(dev.dir, 'services/hello/src/index.ts'), 'export default { fetch: async (_request: Request, env: { DB: D1Database }) => new Response(String(await env.DB.prepare("SELECT text FROM greetings").first("text"))) };\n');
    expect(await dev.server.reload()).toBe(true);
    expect(await (await get(dev.server, 'hello.example.com', '/')).text()).toBe('v3 from D1');
  });
});

describe('dev: .dev.vars and queues', () => {
  const dev = devOnOneService('edgeops-dev-queues-', 'jobs', {
    '.dev.vars': 'API_KEY=local-secret\n',
    'wrangler.toml': [
      'name = "jobs"',
      'main = "src/index.ts"',
      'routes = ["jobs.example.com/*"]',
      '[[queues.producers]]',
      'binding = "JOBS"',
      'queue = "jobs"',
      '[[queues.consumers]]',
      'queue = "jobs"',
      'max_batch_size = 1',
      'max_batch_timeout = 1',
      '',
    ].join('\n'),
    'src/index.ts': `const received: unknown[] = [];
export default {
  async fetch(request: Request, env: { API_KEY?: string; JOBS: { send(body: unknown): Promise<void> } }) {
    const url = new URL(request.url);
    if (url.pathname === '/send') {
      await env.JOBS.send({ job: url.searchParams.get('job') });
      return Response.json({ sent: true });
    }
    if (url.pathname === '/received') return Response.json(received);
    return Response.json({ apiKey: env.API_KEY ?? null });
  },
  async queue(batch: { messages: { body: unknown; ack(): void }[] }) {
    for (const message of batch.messages) {
      received.push(message.body);
      message.ack();
    }
  },
};
`,
  }, { watch: false });

  it('gives a service the secrets of its .dev.vars', async () => {
    expect(await (await get(dev.server, 'jobs.example.com', '/')).json()).toEqual({ apiKey: 'local-secret' });
  });

  it('delivers what a producer sends to the queue\'s consumer', async () => {
    expect((await get(dev.server, 'jobs.example.com', '/send?job=first')).status).toBe(200);
    await expect.poll(async () => (await get(dev.server, 'jobs.example.com', '/received')).json(), { timeout: 30_000, interval: 250 }).toEqual([{ job: 'first' }]);
  });
});
