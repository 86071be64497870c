/**
 * Durable Objects on the edge, driven by real wrangler: `wrangler deploy` of a Worker with a
 * SQLite-backed class and `[[migrations]]`, its objects' storage kept across a new code version,
 * an edge restart and a class rename; a deleted class loses its data; the upload rules Cloudflare
 * enforces (old_tag must match, no migrations through the versions API, bindings name a class the
 * migrations created) are refused with a clear message.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Edge } from '../src/index.ts';
import { workerUpload, type ApiClient } from './support/api-client.ts';
import { requestDataPlane } from './support/data-plane.ts';
import { withTestEdge, type TestEdge } from './support/test-edge.ts';
import { runWrangler } from './support/wrangler.ts';

let edge: Edge;
let root: string;
let api: ApiClient;
let stateDir: string;
let restart: TestEdge['restart'];
const worker = () => join(root, 'counter');

interface Migration {
  tag: string;
  lines: string[];
}

function toml(className: string, migrations: Migration[], bound = true): string {
  const binding = bound ? `\n[[durable_objects.bindings]]\nname = "COUNTER"\nclass_name = "${className}"\n` : '';
  const steps = migrations.map((migration) => `\n[[migrations]]\ntag = "${migration.tag}"\n${migration.lines.join('\n')}\n`).join('');
  return `name = "counter"
main = "src/index.js"
compatibility_date = "2025-06-01"
routes = [{ pattern = "counter.example.com/*", zone_name = "example.com" }]
${binding}${steps}`;
}

/** A SQLite-backed counter per name; `release` marks the code version in a header. */
function source(className: string, release: string, bound = true): string {
  const fetch = bound
    ? `const name = new URL(request.url).pathname.slice(1) || 'default';
    const stub = env.COUNTER.get(env.COUNTER.idFromName(name));
    return new Response(String(await stub.increment()), { headers: { 'x-release': '${release}' } });`
    : `return new Response('no counter', { headers: { 'x-release': '${release}' } });`;
  return `import { DurableObject } from 'cloudflare:workers';
export class ${className} extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS hits (n INTEGER NOT NULL)');
  }
  increment() {
    this.ctx.storage.sql.exec('INSERT INTO hits (n) VALUES (1)');
    return this.ctx.storage.sql.exec('SELECT count(*) AS total FROM hits').one().total;
  }
}
export default {
  async fetch(request, env) {
    ${fetch}
  },
};
`;
}

async function deploy(toml: string, code: string): Promise<void> {
  await mkdir(join(worker(), 'src'), { recursive: true });
  await writeFile(join(worker(), 'wrangler.toml'), toml);
  await writeFile(join(worker(), 'src', 'index.js'), code);
  const result = await runWrangler(['deploy'], { cwd: worker(), home: join(root, 'home'), target: { apiUrl: edge.apiUrl, token: edge.token, accountId: edge.accountId } });
  if (result.code !== 0) throw new Error(`wrangler deploy exited with ${result.code}:\n${result.output}`);
}

async function hit(path: string): Promise<{ body: string; release: unknown }> {
  const response = await requestDataPlane(edge.url, 'counter.example.com', path);
  expect(response.status).toBe(200);
  return { body: response.body, release: response.headers['x-release'] };
}

async function migrationTag(): Promise<unknown> {
  const scripts = await api.ok<{ id: string; migration_tag?: string }[]>('GET', '/accounts/{a}/workers/scripts');
  return scripts.find((script) => script.id === 'counter')?.migration_tag;
}

const V1: Migration = { tag: 'v1', lines: ['new_sqlite_classes = ["Counter"]'] };
const V2: Migration = { tag: 'v2', lines: ['renamed_classes = [{ from = "Counter", to = "Tally" }]'] };
const V3: Migration = { tag: 'v3', lines: ['deleted_classes = ["Tally"]'] };
const V4: Migration = { tag: 'v4', lines: ['new_sqlite_classes = ["Tally"]'] };

withTestEdge('edge-durable-', (started) => ({ edge, api, root, stateDir, restart } = started));

describe('Durable Objects on the edge', () => {
  it('durable objects: wrangler deploy creates the class; each object keeps its own count; the script records migration tag v1', async () => {
    await deploy(toml('Counter', [V1]), source('Counter', 'r1'));
    expect(await hit('/alice')).toEqual({ body: '1', release: 'r1' });
    expect((await hit('/alice')).body).toBe('2');
    expect((await hit('/bob')).body).toBe('1');
    expect(await migrationTag()).toBe('v1');
  }, 120_000);

  it('durable objects: a new code version (no migration: through the versions API) keeps the storage', async () => {
    await deploy(toml('Counter', [V1]), source('Counter', 'r2'));
    expect(await hit('/alice')).toEqual({ body: '3', release: 'r2' });
  }, 120_000);

  it('durable objects: storage survives an edge restart (it lives in its own directory of the state)', async () => {
    const classes = await readdir(join(stateDir, 'data', 'durable-objects'));
    expect(classes.filter((entry) => entry.startsWith('counter-Counter-'))).toHaveLength(1);
    ({ edge, api, restart } = await restart());
    expect(await hit('/alice')).toEqual({ body: '4', release: 'r2' });
    expect((await hit('/bob')).body).toBe('2');
  }, 120_000);

  it('durable objects: renamed_classes keeps the objects under the new class name; the tag moves to v2', async () => {
    await deploy(toml('Tally', [V1, V2]), source('Tally', 'r3'));
    expect(await hit('/alice')).toEqual({ body: '5', release: 'r3' });
    expect(await migrationTag()).toBe('v2');
  }, 120_000);

  it('durable objects: deleted_classes removes the class; created again, it starts empty', async () => {
    await deploy(toml('Tally', [V1, V2, V3], false), source('Tally', 'r4', false));
    expect(await hit('/alice')).toEqual({ body: 'no counter', release: 'r4' });
    await deploy(toml('Tally', [V1, V2, V3, V4]), source('Tally', 'r5'));
    expect(await hit('/alice')).toEqual({ body: '1', release: 'r5' });
    expect(await migrationTag()).toBe('v4');
  }, 180_000);

  it('durable objects: an upload whose old_tag is not the script\'s tag is refused, and nothing changes', async () => {
    const upload = workerUpload(source('Tally', 'bad'), {
      main_module: 'index.js',
      compatibility_date: '2025-06-01',
      bindings: [{ type: 'durable_object_namespace', name: 'COUNTER', class_name: 'Tally' }],
      migrations: { old_tag: 'v1', new_tag: 'v5', steps: [{ new_sqlite_classes: ['Other'] }] },
    });
    const response = await api.call('PUT', '/accounts/{a}/workers/scripts/counter', { body: upload });
    expect(response.status).toBe(400);
    expect(response.body.errors[0]?.message).toContain('has migration tag "v4" but the upload sent old_tag "v1"');
    expect(await migrationTag()).toBe('v4');
    expect((await hit('/alice')).release).toBe('r5');
  }, 60_000);

  it('durable objects: migrations through the versions API are refused (wrangler deploy uses PUT for them)', async () => {
    const upload = workerUpload(source('Tally', 'bad'), {
      main_module: 'index.js',
      bindings: [{ type: 'durable_object_namespace', name: 'COUNTER', class_name: 'Tally' }],
      migrations: { old_tag: 'v4', new_tag: 'v5', steps: [] },
    });
    const response = await api.call('POST', '/accounts/{a}/workers/scripts/counter/versions', { body: upload });
    expect(response.status).toBe(400);
    expect(response.body.errors[0]?.message).toContain('cannot be uploaded as a version of counter');
  }, 60_000);

  it('durable objects: a binding to a class no migration created is refused with the step to add', async () => {
    const upload = workerUpload(source('Missing', 'bad'), {
      main_module: 'index.js',
      bindings: [{ type: 'durable_object_namespace', name: 'COUNTER', class_name: 'Missing' }],
    });
    const response = await api.call('PUT', '/accounts/{a}/workers/scripts/counter', { body: upload });
    expect(response.status).toBe(400);
    expect(response.body.errors[0]?.message).toContain('class Missing is not a Durable Object class of counter (it implements Tally); add a [[migrations]] step with new_sqlite_classes = ["Missing"]');
  }, 60_000);
});
