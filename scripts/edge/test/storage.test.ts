/**
 * R2 buckets and the KV data API against the edge: real wrangler (`r2 bucket create/list/delete`,
 * `deploy` of a Worker with `[[r2_buckets]]`, `kv key put/get/list/delete`, `kv bulk put/delete`)
 * and direct API calls for the codes and shapes, each followed by reading the data through the
 * deployed Worker, which uses the same store. Steps share one edge (wrangler spawns are slow).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdge, type Edge, type RequestLogEntry } from '../src/index.ts';
import { ApiClient, validator } from './support/api-client.ts';
import { requestDataPlane } from './support/data-plane.ts';
import { runWrangler, type WranglerResult } from './support/wrangler.ts';

let edge: Edge;
let root: string;
let api: ApiClient;
let namespaceId: string;
/** Every request wrangler made, to validate against Cloudflare's shapes at the end. */
const wranglerResponses: RequestLogEntry[] = [];

const HOST = 'storage.example.com';

/** A Worker that reads and writes its KV namespace and R2 buckets: `/kv/<key>[?put=v]`, `/r2/<BINDING>/<object>[?put=v]`. */
const WORKER_SOURCE = `export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const [, area, ...rest] = url.pathname.split('/');
    const put = url.searchParams.get('put');
    if (area === 'kv') {
      const key = decodeURIComponent(rest.join('/'));
      if (put !== null) {
        await env.DATA.put(key, put, { metadata: { by: 'worker' } });
        return new Response('stored');
      }
      const { value, metadata } = await env.DATA.getWithMetadata(key);
      return value === null ? new Response('missing', { status: 404 }) : Response.json({ value, metadata });
    }
    if (area === 'r2') {
      const bucket = env[rest[0]];
      const name = rest.slice(1).join('/');
      if (put !== null) {
        await bucket.put(name, put);
        return new Response('stored');
      }
      const object = await bucket.get(name);
      return object === null ? new Response('missing', { status: 404 }) : new Response(await object.text());
    }
    return new Response('no such area', { status: 404 });
  },
};
`;

function workerToml(kvId: string): string {
  return `name = "storage"
main = "src/index.js"
compatibility_date = "2024-09-23"
routes = [{ pattern = "${HOST}/*", zone_name = "example.com" }]

[[kv_namespaces]]
binding = "DATA"
id = "${kvId}"

[[r2_buckets]]
binding = "UPLOADS"
bucket_name = "uploads"

[[r2_buckets]]
binding = "ARCHIVE"
bucket_name = "archive-bucket"
`;
}

const worker = () => join(root, 'worker');

async function wrangler(args: string[]): Promise<WranglerResult> {
  edge.faults.clearLog();
  const result = await runWrangler(args, { cwd: worker(), home: join(root, 'home'), target: { apiUrl: edge.apiUrl, token: edge.token, accountId: edge.accountId } });
  wranglerResponses.push(...edge.faults.log());
  if (result.code !== 0) throw new Error(`wrangler ${args.join(' ')} exited with ${result.code}:\n${result.output}`);
  return result;
}

/** What the deployed Worker reads (status and body). */
async function throughWorker(path: string): Promise<{ status: number; body: string }> {
  const { status, body } = await requestDataPlane(edge.url, HOST, path);
  return { status, body };
}

async function kvThroughWorker(key: string): Promise<unknown> {
  const { status, body } = await throughWorker(`/kv/${encodeURIComponent(key)}`);
  return status === 200 ? JSON.parse(body) : status;
}

/** `GET …/values/{key}` answers the raw value (not an envelope). */
async function rawValue(key: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${edge.apiUrl}/accounts/${edge.accountId}/storage/kv/namespaces/${namespaceId}/values/${encodeURIComponent(key)}`, {
    headers: { authorization: `Bearer ${edge.token}` },
  });
  return { status: response.status, body: await response.text() };
}

const values = (key = '') => `/accounts/{a}/storage/kv/namespaces/${namespaceId}/values/${encodeURIComponent(key)}`;
const inAnHour = () => Math.floor(Date.now() / 1000) + 3600;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'edge-storage-'));
  edge = await startEdge({ stateDir: join(root, 'state'), apiPort: 0, dataPort: 0, zones: ['example.com'] });
  api = new ApiClient(edge.apiUrl, edge.token, edge.accountId);
  edge.faults.captureResponses(true);
  namespaceId = (await api.ok<{ id: string }>('POST', '/accounts/{a}/storage/kv/namespaces', { body: { title: 'storage-data' } })).id;
  await mkdir(join(worker(), 'src'), { recursive: true });
  await writeFile(join(worker(), 'wrangler.toml'), workerToml(namespaceId));
  await writeFile(join(worker(), 'src', 'index.js'), WORKER_SOURCE);
});

afterAll(async () => {
  await edge?.stop();
  await rm(root, { recursive: true, force: true });
});

describe('R2 buckets', () => {
  it('wrangler r2 bucket create and list: the bucket is on the account', async () => {
    const created = await wrangler(['r2', 'bucket', 'create', 'uploads']);
    expect(created.output).toContain('Created bucket');
    const listed = await wrangler(['r2', 'bucket', 'list']);
    expect(listed.stdout).toMatch(/name:\s+uploads/);
    const bucket = await api.ok<{ name: string; storage_class: string }>('GET', '/accounts/{a}/r2/buckets/uploads');
    expect(bucket).toMatchObject({ name: 'uploads', storage_class: 'Standard' });
  });

  it('wrangler deploy of a Worker with [[r2_buckets]]: finds the existing bucket, provisions the missing one, and the binding reads what it wrote', async () => {
    const result = await wrangler(['deploy']);
    const calls = edge.faults.log().map((entry) => `${entry.method} ${entry.path} ${entry.status}`);
    expect(calls).toContain(`GET /accounts/${edge.accountId}/r2/buckets/uploads 200`);
    expect(calls).toContain(`GET /accounts/${edge.accountId}/r2/buckets/archive-bucket 404`);
    expect(calls).toContain(`POST /accounts/${edge.accountId}/r2/buckets 200`);
    expect(result.output).toContain('env.UPLOADS (uploads)');
    const { buckets } = await api.ok<{ buckets: { name: string }[] }>('GET', '/accounts/{a}/r2/buckets');
    expect(buckets.map((bucket) => bucket.name)).toEqual(['archive-bucket', 'uploads']);
    expect((await throughWorker('/r2/UPLOADS/report.txt?put=quarterly')).body).toBe('stored');
    expect(await throughWorker('/r2/UPLOADS/report.txt')).toEqual({ status: 200, body: 'quarterly' });
    expect((await throughWorker('/r2/ARCHIVE/report.txt')).status).toBe(404);
  });

  it('the bucket API: 10004 for a duplicate, 10005 for a bad name, 10006 for a missing bucket, name filters, delete, 10008 for a bucket holding objects', async () => {
    const duplicate = await api.call('POST', '/accounts/{a}/r2/buckets', { body: { name: 'uploads' } });
    expect({ status: duplicate.status, code: duplicate.body.errors[0]?.code }).toEqual({ status: 409, code: 10004 });
    const badName = await api.call('POST', '/accounts/{a}/r2/buckets', { body: { name: 'Bad_Name' } });
    expect({ status: badName.status, code: badName.body.errors[0]?.code }).toEqual({ status: 400, code: 10005 });
    const missing = await api.call('GET', '/accounts/{a}/r2/buckets/nowhere');
    expect({ status: missing.status, code: missing.body.errors[0]?.code }).toEqual({ status: 404, code: 10006 });
    const located = await api.ok<{ location: string }>('POST', '/accounts/{a}/r2/buckets', { body: { name: 'scratch-bucket', locationHint: 'weur' } });
    expect(located.location).toBe('weur');
    const filtered = await api.ok<{ buckets: { name: string }[] }>('GET', '/accounts/{a}/r2/buckets?name_contains=bucket&direction=desc');
    expect(filtered.buckets.map((bucket) => bucket.name)).toEqual(['scratch-bucket', 'archive-bucket']);
    await wrangler(['r2', 'bucket', 'delete', 'scratch-bucket']);
    expect((await api.call('GET', '/accounts/{a}/r2/buckets/scratch-bucket')).status).toBe(404);
    // A bucket holding an object (the Worker wrote report.txt) is not deleted.
    const notEmpty = await api.call('DELETE', '/accounts/{a}/r2/buckets/uploads');
    expect({ status: notEmpty.status, code: notEmpty.body.errors[0]?.code }).toEqual({ status: 409, code: 10008 });
    expect(await throughWorker('/r2/UPLOADS/report.txt')).toEqual({ status: 200, body: 'quarterly' });
  });
});

describe('KV data API', () => {
  it('wrangler kv key put --remote: the deployed Worker reads the value and its metadata', async () => {
    await wrangler(['kv', 'key', 'put', 'greeting', 'hello', '--namespace-id', namespaceId, '--remote']);
    await wrangler(['kv', 'key', 'put', 'path/with spaces', 'nested', '--namespace-id', namespaceId, '--remote', '--metadata', '{"owner":"ops"}', '--ttl', '3600']);
    expect(await kvThroughWorker('greeting')).toEqual({ value: 'hello', metadata: null });
    expect(await kvThroughWorker('path/with spaces')).toEqual({ value: 'nested', metadata: { owner: 'ops' } });
  });

  it('wrangler kv key get --remote: reads what the Worker wrote', async () => {
    expect((await throughWorker('/kv/from-worker?put=written%20by%20a%20Worker')).body).toBe('stored');
    const result = await wrangler(['kv', 'key', 'get', 'from-worker', '--namespace-id', namespaceId, '--remote', '--text']);
    expect(result.stdout.trim()).toBe('written by a Worker');
    expect(await api.ok('GET', `/accounts/{a}/storage/kv/namespaces/${namespaceId}/metadata/from-worker`)).toEqual({ by: 'worker' });
  });

  it('wrangler kv key list --remote: every key, with metadata and expiration', async () => {
    const result = await wrangler(['kv', 'key', 'list', '--namespace-id', namespaceId, '--remote']);
    const keys = JSON.parse(result.stdout) as { name: string; expiration?: number; metadata?: unknown }[];
    expect(keys.map((key) => key.name)).toEqual(['from-worker', 'greeting', 'path/with spaces']);
    const nested = keys.find((key) => key.name === 'path/with spaces');
    expect(nested?.metadata).toEqual({ owner: 'ops' });
    expect(nested?.expiration).toBeGreaterThan(Date.now() / 1000 + 3000);
  });

  it('wrangler kv bulk put --remote: text and base64 values, metadata; the Worker reads them; bulk delete removes them', async () => {
    const file = join(root, 'bulk.json');
    await writeFile(
      file,
      JSON.stringify([
        { key: 'bulk-a', value: 'alpha', metadata: { n: 1 } },
        { key: 'bulk-b', value: Buffer.from('beta bytes').toString('base64'), base64: true },
        { key: 'bulk-c', value: 'gamma', expiration_ttl: 600 },
      ]),
    );
    await wrangler(['kv', 'bulk', 'put', file, '--namespace-id', namespaceId, '--remote']);
    expect(await kvThroughWorker('bulk-a')).toEqual({ value: 'alpha', metadata: { n: 1 } });
    expect(await kvThroughWorker('bulk-b')).toEqual({ value: 'beta bytes', metadata: null });
    expect(await kvThroughWorker('bulk-c')).toEqual({ value: 'gamma', metadata: null });
    const deletions = join(root, 'bulk-delete.json');
    await writeFile(deletions, JSON.stringify(['bulk-a', 'bulk-b']));
    await wrangler(['kv', 'bulk', 'delete', deletions, '--namespace-id', namespaceId, '--remote', '--force']);
    expect(await kvThroughWorker('bulk-a')).toBe(404);
    expect(await kvThroughWorker('bulk-c')).toEqual({ value: 'gamma', metadata: null });
  });

  it('wrangler kv key delete --remote: the Worker no longer finds the key', async () => {
    await wrangler(['kv', 'key', 'delete', 'greeting', '--namespace-id', namespaceId, '--remote']);
    expect(await kvThroughWorker('greeting')).toBe(404);
    expect((await rawValue('greeting')).status).toBe(404);
  });

  it('the data API directly: raw values, multipart with metadata, cursor pages, bulk get and delete, and its refusals', async () => {
    const form = new FormData();
    form.set('value', 'from a form');
    form.set('metadata', JSON.stringify({ kind: 'form' }));
    await api.ok('PUT', `${values('formed')}?expiration=${inAnHour()}`, { body: form });
    expect(await kvThroughWorker('formed')).toEqual({ value: 'from a form', metadata: { kind: 'form' } });
    await api.ok('PUT', values('raw'), { body: 'raw body', headers: { 'content-type': 'text/plain' } });
    expect(await rawValue('raw')).toEqual({ status: 200, body: 'raw body' });

    const many = Array.from({ length: 15 }, (_, index) => ({ key: `page-${String(index).padStart(2, '0')}`, value: String(index) }));
    expect(await api.ok('PUT', `/accounts/{a}/storage/kv/namespaces/${namespaceId}/bulk`, { body: many })).toEqual({ successful_key_count: 15, unsuccessful_keys: [] });
    const first = await api.call<{ name: string }[]>('GET', `/accounts/{a}/storage/kv/namespaces/${namespaceId}/keys?prefix=page-&limit=10`);
    const cursor = (first.body.result_info as { cursor?: string } | undefined)?.cursor ?? '';
    expect(first.body.result).toHaveLength(10);
    expect(cursor).not.toBe('');
    const second = await api.call<{ name: string }[]>('GET', `/accounts/{a}/storage/kv/namespaces/${namespaceId}/keys?prefix=page-&limit=10&cursor=${encodeURIComponent(cursor)}`);
    expect(second.body.result.map((key) => key.name)).toEqual(['page-10', 'page-11', 'page-12', 'page-13', 'page-14']);
    expect((second.body.result_info as { cursor?: string } | undefined)?.cursor).toBe('');

    const got = await api.ok('POST', `/accounts/{a}/storage/kv/namespaces/${namespaceId}/bulk/get`, { body: { keys: ['page-01', 'absent', 'formed'], withMetadata: true } });
    expect(got).toEqual({ values: { 'page-01': { value: '1', metadata: null }, absent: null, formed: { value: 'from a form', metadata: { kind: 'form' } } } });
    expect(await api.ok('POST', `/accounts/{a}/storage/kv/namespaces/${namespaceId}/bulk/delete`, { body: many.map((pair) => pair.key) })).toEqual({ successful_key_count: 15, unsuccessful_keys: [] });
    expect(await kvThroughWorker('page-01')).toBe(404);

    const missingKey = await api.call('GET', `/accounts/{a}/storage/kv/namespaces/${namespaceId}/metadata/absent`);
    expect({ status: missingKey.status, code: missingKey.body.errors[0]?.code }).toEqual({ status: 404, code: 10009 });
    const unknownNamespace = await api.call('PUT', `/accounts/{a}/storage/kv/namespaces/${'0'.repeat(32)}/values/x`, { body: 'v', headers: { 'content-type': 'text/plain' } });
    expect({ status: unknownNamespace.status, code: unknownNamespace.body.errors[0]?.code }).toEqual({ status: 404, code: 10013 });
    const past = await api.call('PUT', `${values('late')}?expiration=${Math.floor(Date.now() / 1000) - 10}`, { body: 'v', headers: { 'content-type': 'text/plain' } });
    expect({ status: past.status, message: past.body.errors[0]?.message }).toMatchObject({ status: 400, message: expect.stringContaining('at least 60 seconds in the future') });
    const bulky = new FormData();
    bulky.set('value', 'v');
    bulky.set('metadata', JSON.stringify({ padding: 'x'.repeat(1100) }));
    expect((await api.call('PUT', values('bulky'), { body: bulky })).status).toBe(400);
    // A bulk write with one bad pair writes nothing.
    const mixed = await api.call('PUT', `/accounts/{a}/storage/kv/namespaces/${namespaceId}/bulk`, { body: [{ key: 'good', value: 'g' }, { key: 'bad', value: 'b', expiration: 5 }] });
    expect(mixed.status).toBe(400);
    expect(await kvThroughWorker('good')).toBe(404);
  });

  it('the data outlives an edge restart (one persisted store for the API and the Worker)', async () => {
    const stateDir = join(root, 'state');
    await edge.stop();
    edge = await startEdge({ stateDir, apiPort: 0, dataPort: 0, zones: ['example.com'] });
    api = new ApiClient(edge.apiUrl, edge.token, edge.accountId);
    edge.faults.captureResponses(true);
    expect(await rawValue('from-worker')).toEqual({ status: 200, body: 'written by a Worker' });
    expect(await kvThroughWorker('path/with spaces')).toEqual({ value: 'nested', metadata: { owner: 'ops' } });
    expect(await throughWorker('/r2/UPLOADS/report.txt')).toEqual({ status: 200, body: 'quarterly' });
  });

  it("every answer wrangler got matches Cloudflare's documented shapes", () => {
    const entries = wranglerResponses.filter((entry) => entry.response !== undefined && entry.path.startsWith('/accounts'));
    expect(entries.length).toBeGreaterThan(10);
    const failures = entries
      .map((entry) => ({ entry, result: validator.validate(entry.method, `${entry.path}${entry.query}`, entry.status, entry.response) }))
      .filter(({ result }) => result.errors.length > 0)
      .map(({ entry, result }) => `${entry.method} ${entry.path}: ${result.errors.join('; ')}`);
    expect(failures).toEqual([]);
  });
});
