/**
 * The D1 query API against the data plane's storage, driven by real wrangler: `d1 migrations
 * apply|list --remote` and `d1 execute --remote` through CLOUDFLARE_API_BASE_URL, each followed by
 * reading the data through a deployed Worker (one store: what the API wrote, the Worker reads, and
 * back). Steps share one edge (wrangler spawns take seconds).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdge, type Edge } from '../src/index.ts';
import { ApiClient } from './support/api-client.ts';
import { requestDataPlane } from './support/data-plane.ts';
import { runWrangler, type WranglerResult } from './support/wrangler.ts';

let edge: Edge;
let root: string;
let api: ApiClient;
let databaseId: string;
const HOST = 'shop.example.com';

const WORKER = `export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (request.method === 'POST') {
      await env.DB.prepare('INSERT INTO items (name, price_cents) VALUES (?, ?)').bind(url.searchParams.get('name'), Number(url.searchParams.get('price'))).run();
      return new Response('stored', { status: 201 });
    }
    const { results } = await env.DB.prepare('SELECT name, price_cents FROM items ORDER BY name').all();
    return Response.json(results);
  },
};
`;

const project = () => join(root, 'shop');

async function wrangler(args: string[]): Promise<WranglerResult> {
  const result = await runWrangler(args, { cwd: project(), home: join(root, 'home'), target: { apiUrl: edge.apiUrl, token: edge.token, accountId: edge.accountId } });
  if (result.code !== 0) throw new Error(`wrangler ${args.join(' ')} exited with ${result.code}:\n${result.output}`);
  return result;
}

async function itemsThroughWorker(): Promise<unknown> {
  const response = await requestDataPlane(edge.url, HOST, '/');
  expect(response.status).toBe(200);
  return JSON.parse(response.body);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'edge-d1-'));
  edge = await startEdge({ stateDir: join(root, 'state'), apiPort: 0, dataPort: 0, zones: ['example.com'] });
  api = new ApiClient(edge.apiUrl, edge.token, edge.accountId);
  databaseId = (await api.ok<{ uuid: string }>('POST', '/accounts/{a}/d1/database', { body: { name: 'shop' } })).uuid;
  await mkdir(join(project(), 'src'), { recursive: true });
  await mkdir(join(project(), 'migrations'), { recursive: true });
  await writeFile(
    join(project(), 'wrangler.toml'),
    `name = "shop"\nmain = "src/index.js"\ncompatibility_date = "2024-09-23"\nroutes = [{ pattern = "${HOST}/*", zone_name = "example.com" }]\n\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "shop"\ndatabase_id = "${databaseId}"\n`,
  );
  await writeFile(join(project(), 'src', 'index.js'), WORKER);
  await writeFile(join(project(), 'migrations', '0001_items.sql'), 'CREATE TABLE items (\n  id INTEGER PRIMARY KEY,\n  name TEXT NOT NULL -- the label; a ; here is no end\n);\n');
  await writeFile(join(project(), 'migrations', '0002_prices.sql'), "ALTER TABLE items ADD COLUMN price_cents INTEGER NOT NULL DEFAULT 0;\nCREATE INDEX items_by_name ON items (name);\n");
}, 120_000);

afterAll(async () => {
  await edge?.stop();
  await rm(root, { recursive: true, force: true });
});

describe('D1 query API with real wrangler', () => {
  it('wrangler d1 migrations apply --remote applies both files and records them as wrangler does; list --remote then has nothing to apply', async () => {
    const before = await wrangler(['d1', 'migrations', 'list', 'shop', '--remote']);
    expect(before.output).toContain('0001_items.sql');
    expect(before.output).toContain('0002_prices.sql');

    const applied = await wrangler(['d1', 'migrations', 'apply', 'shop', '--remote']);
    expect(applied.output).toMatch(/0001_items\.sql.*✅/s);
    expect(applied.output).toMatch(/0002_prices\.sql.*✅/s);

    const rows = await api.ok<{ results: { id: number; name: string; applied_at: string }[] }[]>('POST', `/accounts/{a}/d1/database/${databaseId}/query`, {
      body: { sql: 'SELECT * FROM d1_migrations ORDER BY id' },
    });
    expect(rows[0]?.results.map((row) => [row.id, row.name])).toEqual([
      [1, '0001_items.sql'],
      [2, '0002_prices.sql'],
    ]);
    expect(rows[0]?.results[0]?.applied_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);

    const after = await wrangler(['d1', 'migrations', 'list', 'shop', '--remote']);
    expect(after.output).toContain('No migrations to apply');
  }, 120_000);

  it('wrangler deploy, then wrangler d1 execute --remote writes rows the Worker reads', async () => {
    await wrangler(['deploy']);
    expect(await itemsThroughWorker()).toEqual([]);
    await wrangler(['d1', 'execute', 'shop', '--remote', '--command', "INSERT INTO items (name, price_cents) VALUES ('pear', 120); INSERT INTO items (name, price_cents) VALUES ('apple', 90)"]);
    expect(await itemsThroughWorker()).toEqual([
      { name: 'apple', price_cents: 90 },
      { name: 'pear', price_cents: 120 },
    ]);
  }, 120_000);

  it('a row the Worker writes is what wrangler d1 execute --remote --json reads', async () => {
    const stored = await requestDataPlane(edge.url, HOST, '/?name=fig&price=300', 'POST');
    expect(stored.status).toBe(201);
    const result = await wrangler(['d1', 'execute', 'shop', '--remote', '--json', '--command', "SELECT name, price_cents FROM items WHERE name = 'fig'"]);
    const parsed = JSON.parse(result.stdout.slice(result.stdout.indexOf('['))) as { results: unknown[]; success: boolean }[];
    expect(parsed[0]?.success).toBe(true);
    expect(parsed[0]?.results).toEqual([{ name: 'fig', price_cents: 300 }]);
  }, 120_000);

  it('/query answers one result per statement with meta, binds params, and finds the database by name too', async () => {
    const results = await api.ok<{ results: Record<string, unknown>[]; meta: { changes: number; changed_db: boolean } }[]>('POST', '/accounts/{a}/d1/database/shop/query', {
      body: { sql: "UPDATE items SET price_cents = 95 WHERE name = 'apple'; SELECT count(*) AS n FROM items" },
    });
    expect(results).toHaveLength(2);
    expect(results[0]?.meta.changes).toBe(1);
    expect(results[0]?.meta.changed_db).toBe(true);
    expect(results[1]?.results).toEqual([{ n: 3 }]);
    const bound = await api.ok<{ results: unknown[] }[]>('POST', `/accounts/{a}/d1/database/${databaseId}/query`, {
      body: { sql: 'SELECT price_cents FROM items WHERE name = ?', params: ['apple'] },
    });
    expect(bound[0]?.results).toEqual([{ price_cents: 95 }]);
  }, 60_000);

  it('/raw answers columns and rows as arrays', async () => {
    const raw = await api.ok<{ results: { columns: string[]; rows: unknown[][] } }[]>('POST', `/accounts/{a}/d1/database/${databaseId}/raw`, {
      body: { sql: 'SELECT name, price_cents FROM items ORDER BY name' },
    });
    expect(raw[0]?.results).toEqual({ columns: ['name', 'price_cents'], rows: [['apple', 95], ['fig', 300], ['pear', 120]] });
  }, 60_000);

  it('a failing statement fails the whole query with 7500 and changes nothing; a missing database is 7404', async () => {
    const failed = await api.call('POST', `/accounts/{a}/d1/database/${databaseId}/query`, {
      body: { sql: "INSERT INTO items (name) VALUES ('ghost'); SELECT * FROM no_such_table" },
    });
    expect(failed.status).toBe(400);
    expect(failed.body.errors[0]?.code).toBe(7500);
    expect(failed.body.errors[0]?.message).toContain('no such table: no_such_table');
    expect(await itemsThroughWorker()).not.toContainEqual(expect.objectContaining({ name: 'ghost' }));

    const missing = await api.call('POST', '/accounts/{a}/d1/database/00000000-0000-4000-8000-000000000000/query', { body: { sql: 'SELECT 1' } });
    expect(missing.status).toBe(404);
    expect(missing.body.errors[0]?.code).toBe(7404);
    const multiWithParams = await api.call('POST', `/accounts/{a}/d1/database/${databaseId}/query`, { body: { sql: 'SELECT ?; SELECT 2', params: [1] } });
    expect(multiWithParams.status).toBe(400);
    expect(multiWithParams.body.errors[0]?.message).toContain('params bind to one statement');
  }, 60_000);

  it('data written through the API survives an edge restart', async () => {
    await edge.stop();
    edge = await startEdge({ stateDir: join(root, 'state'), apiPort: 0, dataPort: 0 });
    api = new ApiClient(edge.apiUrl, edge.token, edge.accountId);
    expect(await itemsThroughWorker()).toEqual([
      { name: 'apple', price_cents: 95 },
      { name: 'fig', price_cents: 300 },
      { name: 'pear', price_cents: 120 },
    ]);
    const rows = await api.ok<{ results: { name: string }[] }[]>('POST', `/accounts/{a}/d1/database/${databaseId}/query`, { body: { sql: 'SELECT name FROM d1_migrations ORDER BY id' } });
    expect(rows[0]?.results.map((row) => row.name)).toEqual(['0001_items.sql', '0002_prices.sql']);
  }, 120_000);
});
