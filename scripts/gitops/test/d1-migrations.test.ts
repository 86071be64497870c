import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudflareClient } from '../api/client.ts';
import { listD1Databases, queryD1 } from '../api/cloudflare.ts';
import { reconcile } from '../index.ts';
import { planActions } from '../plan/plan.ts';
import { dataPlaneGet, startTestEdge, type TestEdge } from './support/edge.ts';
import { createFixtureFleet, writeService } from '../synthetic/fleet.ts';
import { runWrangler } from '../../edge/test/support/wrangler.ts';

/**
 * D1 migrations through git, reconciled into a real local edge: wrangler's folder and
 * `d1_migrations` table, applied before the version that needs them, checked against edits,
 * stopped by a failing statement (the old version keeps serving), resumed by a rerun; real
 * `wrangler d1 migrations list --remote` agrees with edgeops at each step.
 */
let edge: TestEdge;
let client: CloudflareClient;
let rootDir: string;
const quiet = { out: () => undefined, err: () => undefined };
const SERVICE = 'm-shop';
const DATABASE = 'm-shop-db';

/** A Worker version: `query` lists the items, /write inserts one by name. */
function shopWorker(version: string, query: string): string {
  return `export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname.endsWith('/write')) {
      await env.DB.prepare('INSERT INTO items (name) VALUES (?)').bind(url.searchParams.get('name')).run();
      return Response.json({ written: true });
    }
    const { results } = await env.DB.prepare(${JSON.stringify(query)}).all();
    return Response.json({ version: ${JSON.stringify(version)}, items: results });
  },
};
`;
}

const serviceDir = () => join(rootDir, 'services', SERVICE);
const migrationFile = (name: string) => join(serviceDir(), 'migrations', name);

async function writeShop(version: string, query: string): Promise<void> {
  await writeService(rootDir, { name: SERVICE, version, routes: ['example.com/m/shop*'], extraToml: `[[d1_databases]]\nbinding = "DB"\ndatabase_name = "${DATABASE}"\n` });
  await writeFile(join(serviceDir(), 'src', 'index.js'), shopWorker(version, query));
}

async function shop(path = '/m/shop'): Promise<{ status: number; body: Record<string, unknown> }> {
  const answer = await dataPlaneGet(edge.edge, `http://example.com${path}`);
  return { status: answer.status, body: answer.json() };
}

async function databaseId(): Promise<string> {
  const found = (await listD1Databases(client)).find((database) => database.name === DATABASE);
  if (!found) throw new Error(`no D1 database ${DATABASE}`);
  return found.uuid;
}

async function appliedNames(): Promise<string[]> {
  const [rows] = await queryD1(client, await databaseId(), 'SELECT name FROM d1_migrations ORDER BY id');
  return (rows?.results ?? []).map((row) => String(row.name));
}

/** What real wrangler says about the same database and folder (a config of its own, with the database's id). */
async function wranglerList(): Promise<string> {
  const project = join(rootDir, 'wrangler-view');
  await mkdir(project, { recursive: true });
  await writeFile(
    join(project, 'wrangler.toml'),
    `name = "view"\ncompatibility_date = "2024-09-23"\n\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "${DATABASE}"\ndatabase_id = "${await databaseId()}"\nmigrations_dir = "${join(serviceDir(), 'migrations')}"\n`,
  );
  const result = await runWrangler(['d1', 'migrations', 'list', DATABASE, '--remote'], { cwd: project, home: join(rootDir, 'wrangler-home'), target: edge.endpoint });
  if (result.code !== 0) throw new Error(`wrangler d1 migrations list exited with ${result.code}:\n${result.output}`);
  return result.output;
}

const kindsByWave = (plan: Awaited<ReturnType<typeof reconcile>>['plan']) => plan.waves.map((wave) => `${wave.phase}: ${wave.actions.map((action) => action.kind).join(', ')}`);

beforeAll(async () => {
  edge = await startTestEdge();
  client = new CloudflareClient(edge.endpoint);
  rootDir = await createFixtureFleet([]);
  await writeShop('1.0.0', 'SELECT name FROM items ORDER BY name');
  await mkdir(join(serviceDir(), 'migrations'), { recursive: true });
  await writeFile(migrationFile('0001_items.sql'), '-- the first schema\nCREATE TABLE items (\n  name TEXT NOT NULL\n);\n');
}, 120_000);
afterAll(async () => {
  await edge?.cleanup();
});

describe('reconciler against the local edge: D1 migrations', () => {
  it('from empty: creates the database, applies 0001 before the first version, records it as wrangler does; a second plan is empty', async () => {
    const first = await reconcile({ rootDir, target: 'local', endpoint: edge.endpoint, output: quiet });
    expect(first.plan.errors).toEqual([]);
    expect(first.result?.ok).toBe(true);
    expect(kindsByWave(first.plan)).toEqual(['resources: create-d1-database', 'migrations: apply-d1-migrations', 'versions: create-script', 'routes: create-route']);
    const migrate = planActions(first.plan).find((action) => action.kind === 'apply-d1-migrations');
    expect(migrate).toMatchObject({ service: SERVICE, database: DATABASE, table: 'd1_migrations', migrations: [{ name: '0001_items.sql' }] });

    expect((await shop('/m/shop/write?name=pear')).status).toBe(200);
    expect((await shop()).body).toEqual({ version: '1.0.0', items: [{ name: 'pear' }] });
    expect(await appliedNames()).toEqual(['0001_items.sql']);
    expect(await wranglerList()).toContain('No migrations to apply');

    const again = await reconcile({ rootDir, target: 'local', endpoint: edge.endpoint, output: quiet });
    expect(planActions(again.plan)).toEqual([]);
  }, 180_000);

  it('a new migration with new code: plan lists it in the migrations wave before the upload; apply runs it, then the version using it serves', async () => {
    await writeFile(migrationFile('0002_prices.sql'), 'ALTER TABLE items ADD COLUMN price_cents INTEGER NOT NULL DEFAULT 0;\nCREATE INDEX items_by_price ON items (price_cents);\n');
    await writeShop('1.1.0', 'SELECT name, price_cents FROM items INDEXED BY items_by_price ORDER BY name');
    expect(await wranglerList()).toMatch(/0002_prices\.sql/);

    const outcome = await reconcile({ rootDir, target: 'local', endpoint: edge.endpoint, output: quiet });
    expect(outcome.result?.ok).toBe(true);
    expect(kindsByWave(outcome.plan)).toEqual(['migrations: apply-d1-migrations', 'versions: upload-version', 'deployments: deploy']);
    expect(planActions(outcome.plan)[0]).toMatchObject({ kind: 'apply-d1-migrations', migrations: [{ name: '0002_prices.sql' }] });
    expect((await shop()).body).toEqual({ version: '1.1.0', items: [{ name: 'pear', price_cents: 0 }] });
    expect(await appliedNames()).toEqual(['0001_items.sql', '0002_prices.sql']);
    expect(await wranglerList()).toContain('No migrations to apply');
  }, 180_000);

  it('an applied migration whose file changed is a plan error naming the file; nothing is applied', async () => {
    const original = await readFile(migrationFile('0001_items.sql'), 'utf8');
    await writeFile(migrationFile('0001_items.sql'), original.replace('name TEXT NOT NULL', 'name TEXT NOT NULL UNIQUE'));
    try {
      const outcome = await reconcile({ rootDir, target: 'local', endpoint: edge.endpoint, output: quiet });
      expect(outcome.result).toBeUndefined();
      expect(outcome.plan.errors).toEqual([
        expect.objectContaining({ service: SERVICE, file: `services/${SERVICE}/migrations/0001_items.sql`, message: expect.stringContaining('migration 0001_items.sql was applied to D1 database m-shop-db with sha256:') }),
      ]);
    } finally {
      await writeFile(migrationFile('0001_items.sql'), original);
    }
    expect(planActions((await reconcile({ rootDir, target: 'local', endpoint: edge.endpoint, output: quiet })).plan)).toEqual([]);
  }, 180_000);

  it('a failing migration stops the wave with file, line, statement and SQLite error; the old version keeps serving; the fixed file applies on rerun', async () => {
    await writeFile(migrationFile('0003_tags.sql'), "CREATE TABLE tags (name TEXT NOT NULL);\n\nINSERT INTO tag_typo (name) VALUES ('new');\n");
    await writeShop('1.2.0', 'SELECT items.name AS name, (SELECT count(*) FROM tags) AS tags FROM items ORDER BY items.name');

    const failed = await reconcile({ rootDir, target: 'local', endpoint: edge.endpoint, output: quiet });
    expect(failed.result?.ok).toBe(false);
    const byKind = new Map(failed.result?.results.map((result) => [result.action.kind, result]));
    expect(byKind.get('apply-d1-migrations')?.status).toBe('failed');
    const error = byKind.get('apply-d1-migrations')?.error ?? '';
    expect(error).toContain(`services/${SERVICE}/migrations/0003_tags.sql:3: statement 2 of 2 failed: no such table: tag_typo`);
    expect(error).toContain("INSERT INTO tag_typo (name) VALUES ('new')");
    expect(error).toContain('the deployed version keeps serving');
    expect(byKind.get('upload-version')?.status).toBe('not-run');
    expect(byKind.get('deploy')?.status).toBe('not-run');
    expect((await shop()).body).toMatchObject({ version: '1.1.0' });
    // Atomic: the first statement of the failed file left nothing behind.
    const [tables] = await queryD1(client, await databaseId(), "SELECT name FROM sqlite_master WHERE name = 'tags'");
    expect(tables?.results).toEqual([]);
    expect(await appliedNames()).toEqual(['0001_items.sql', '0002_prices.sql']);

    await writeFile(migrationFile('0003_tags.sql'), "CREATE TABLE tags (name TEXT NOT NULL);\n\nINSERT INTO tags (name) VALUES ('new');\n");
    const rerun = await reconcile({ rootDir, target: 'local', endpoint: edge.endpoint, output: quiet });
    expect(rerun.result?.ok).toBe(true);
    expect(planActions(rerun.plan)[0]).toMatchObject({ kind: 'apply-d1-migrations', migrations: [{ name: '0003_tags.sql' }] });
    expect((await shop()).body).toEqual({ version: '1.2.0', items: [{ name: 'pear', tags: 1 }] });
    expect(await appliedNames()).toEqual(['0001_items.sql', '0002_prices.sql', '0003_tags.sql']);
    expect(await wranglerList()).toContain('No migrations to apply');
  }, 240_000);

  it('a migration wrangler applies itself is seen by the plan as applied (no checksum recorded, nothing to do)', async () => {
    await writeFile(migrationFile('0004_notes.sql'), 'CREATE TABLE notes (body TEXT);\n');
    const project = join(rootDir, 'wrangler-view');
    const applied = await runWrangler(['d1', 'migrations', 'apply', DATABASE, '--remote'], { cwd: project, home: join(rootDir, 'wrangler-home'), target: edge.endpoint });
    expect(applied.code, applied.output).toBe(0);
    expect(await appliedNames()).toEqual(['0001_items.sql', '0002_prices.sql', '0003_tags.sql', '0004_notes.sql']);
    const plan = (await reconcile({ rootDir, target: 'local', endpoint: edge.endpoint, output: quiet })).plan;
    expect(plan.errors).toEqual([]);
    expect(planActions(plan)).toEqual([]);
  }, 180_000);
});
