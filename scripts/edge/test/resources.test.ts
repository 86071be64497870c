/**
 * The control plane's KV namespace and D1 database registries (the operations `wrangler deploy`'s
 * automatic provisioning, `wrangler delete` and the reconciler use). They are not in the 2024
 * OpenAPI extract: responses are validated against the shapes of Cloudflare's API docs
 * (support/openapi.ts `DOCS_SCHEMAS`), errors use the codes wrangler checks (KV 10014 duplicate
 * title, D1 7502 duplicate name and 7404 not found) and KV's namespace-not-found 10013.
 */
import { describe, expect, it } from 'vitest';
import { D1DatabaseSchema } from '../../cloudflare/api/d1-databases.ts';
import { KvNamespaceSchema } from '../../cloudflare/api/kv-namespaces.ts';
import { QueueSchema } from '../../cloudflare/api/queues.ts';
import type { Edge } from '../src/index.ts';
import { type ApiClient, workerUpload } from './support/api-client.ts';
import { requestDataPlane } from './support/data-plane.ts';
import { withTestEdge, type TestEdge } from './support/test-edge.ts';

interface Namespace {
  id: string;
  title: string;
  supports_url_encoding?: boolean;
}
interface Database {
  uuid: string;
  name: string;
  created_at: string;
  version: string;
}

let local: TestEdge;
let edge: Edge;
let api: ApiClient;

withTestEdge('edge-resources-', (started) => ({ edge, api } = local = started));

describe('control plane: KV namespaces', () => {
  it('refuses a request without a token (401) or for another account (403), code 10000', async () => {
    const anonymous = await api.call('GET', '/accounts/{a}/storage/kv/namespaces', { token: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ success: false, result: null, errors: [{ code: 10000 }] });
    const other = await api.call('POST', '/accounts/0123456789abcdef0123456789abcdef/storage/kv/namespaces', { body: { title: 'x' } });
    expect(other.status).toBe(403);
    expect(other.body.errors[0]?.code).toBe(10000);
  });

  it('creates a namespace {title} with a 32-hex id and refuses a duplicate title with 400 and code 10014', async () => {
    const created = await api.ok<Namespace>('POST', '/accounts/{a}/storage/kv/namespaces', { body: { title: 'shop-sessions' } });
    expect(created).toEqual({ id: expect.stringMatching(/^[0-9a-f]{32}$/), title: 'shop-sessions', supports_url_encoding: true });
    const duplicate = await api.call('POST', '/accounts/{a}/storage/kv/namespaces', { body: { title: 'shop-sessions' } });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body).toMatchObject({ success: false, result: null, errors: [{ code: 10014, message: 'a namespace with this account ID and title already exists' }] });
    const missingTitle = await api.call('POST', '/accounts/{a}/storage/kv/namespaces', { body: { name: 'nope' } });
    expect(missingTitle.status).toBe(400);
    expect(missingTitle.body.errors[0]?.message).toContain('title');
    expect(await api.ok<Namespace>('GET', `/accounts/{a}/storage/kv/namespaces/${created.id}`)).toEqual(created);
  });

  it('lists namespaces with Cloudflare pagination, ordered by title as wrangler asks', async () => {
    for (const title of ['page-c', 'page-a', 'page-e', 'page-b', 'page-d', 'page-f']) {
      await api.ok('POST', '/accounts/{a}/storage/kv/namespaces', { body: { title } });
    }
    const first = await api.call<Namespace[]>('GET', '/accounts/{a}/storage/kv/namespaces?per_page=5&page=1&order=title&direction=asc');
    expect(first.body.result.map((namespace) => namespace.title)).toEqual(['page-a', 'page-b', 'page-c', 'page-d', 'page-e']);
    expect(first.body.result_info).toEqual({ page: 1, per_page: 5, count: 5, total_count: 7, total_pages: 2 });
    const second = await api.call<Namespace[]>('GET', '/accounts/{a}/storage/kv/namespaces?per_page=5&page=2&order=title&direction=asc');
    expect(second.body.result.map((namespace) => namespace.title)).toEqual(['page-f', 'shop-sessions']);
    const descending = await api.ok<Namespace[]>('GET', '/accounts/{a}/storage/kv/namespaces?per_page=100&order=title&direction=desc');
    expect(descending[0]?.title).toBe('shop-sessions');
    const badOrder = await api.call('GET', '/accounts/{a}/storage/kv/namespaces?order=size');
    expect(badOrder.status).toBe(400);
  });

  it('renames and deletes a namespace; an unknown id answers 404 with code 10013', async () => {
    const created = await api.ok<Namespace>('POST', '/accounts/{a}/storage/kv/namespaces', { body: { title: 'to-rename' } });
    expect(await api.ok<Namespace>('PUT', `/accounts/{a}/storage/kv/namespaces/${created.id}`, { body: { title: 'renamed' } })).toMatchObject({ id: created.id, title: 'renamed' });
    const clash = await api.call('PUT', `/accounts/{a}/storage/kv/namespaces/${created.id}`, { body: { title: 'shop-sessions' } });
    expect(clash.body.errors[0]?.code).toBe(10014);
    await api.ok('DELETE', `/accounts/{a}/storage/kv/namespaces/${created.id}`);
    for (const method of ['GET', 'DELETE']) {
      const gone = await api.call(method, `/accounts/{a}/storage/kv/namespaces/${created.id}`);
      expect(gone.status).toBe(404);
      expect(gone.body.errors[0]?.code).toBe(10013);
    }
  });
});

describe('control plane: D1 databases', () => {
  it('refuses a request without a token with 401 and code 10000', async () => {
    const anonymous = await api.call('GET', '/accounts/{a}/d1/database', { token: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errors[0]?.code).toBe(10000);
  });

  it('creates a database {name} with a uuid and refuses a duplicate name with code 7502', async () => {
    const created = await api.ok<Database>('POST', '/accounts/{a}/d1/database', { body: { name: 'ledger' } });
    expect(created).toEqual({ uuid: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'ledger', created_at: expect.any(String), version: 'production' });
    const duplicate = await api.call('POST', '/accounts/{a}/d1/database', { body: { name: 'ledger' } });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body).toMatchObject({ success: false, errors: [{ code: 7502 }] });
  });

  it('gets a database by id or by name (as wrangler provisioning does); unknown answers 404 with 7404', async () => {
    const [ledger] = await api.ok<Database[]>('GET', '/accounts/{a}/d1/database?name=ledger');
    expect(ledger?.name).toBe('ledger');
    expect(await api.ok<Database>('GET', `/accounts/{a}/d1/database/${ledger?.uuid}`)).toEqual(ledger);
    expect(await api.ok<Database>('GET', '/accounts/{a}/d1/database/ledger')).toEqual(ledger);
    const unknown = await api.call('GET', '/accounts/{a}/d1/database/00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ success: false, result: null, errors: [{ code: 7404 }] });
  });

  it('lists databases with pagination and a name search, and deletes one', async () => {
    for (const name of ['list-1', 'list-2', 'list-3', 'list-4', 'list-5', 'list-6', 'list-7', 'list-8', 'list-9', 'list-10', 'list-11']) {
      await api.ok('POST', '/accounts/{a}/d1/database', { body: { name } });
    }
    const page = await api.call<Database[]>('GET', '/accounts/{a}/d1/database?per_page=10&page=2');
    expect(page.body.result).toHaveLength(2);
    expect(page.body.result_info).toMatchObject({ page: 2, per_page: 10, count: 2, total_count: 12, total_pages: 2 });
    expect((await api.ok<Database[]>('GET', '/accounts/{a}/d1/database?name=list-1')).map((database) => database.name)).toEqual(['list-1', 'list-10', 'list-11']);
    const [doomed] = await api.ok<Database[]>('GET', '/accounts/{a}/d1/database?name=list-11');
    await api.ok('DELETE', `/accounts/{a}/d1/database/${doomed?.uuid}`);
    expect((await api.call('DELETE', `/accounts/{a}/d1/database/${doomed?.uuid}`)).body.errors[0]?.code).toBe(7404);
  });
});

/** Each named-resource kind: its real path, create body, id field and error codes. */
const NAMED_KINDS = [
  { kind: 'KV namespace', path: '/accounts/{a}/storage/kv/namespaces', nameField: 'title', idField: 'id', schema: KvNamespaceSchema, exists: { status: 400, code: 10014 }, notFound: { status: 404, code: 10013 }, minPerPage: 5 },
  { kind: 'D1 database', path: '/accounts/{a}/d1/database', nameField: 'name', idField: 'uuid', schema: D1DatabaseSchema, exists: { status: 400, code: 7502 }, notFound: { status: 404, code: 7404 }, minPerPage: 10 },
  { kind: 'queue', path: '/accounts/{a}/queues', nameField: 'queue_name', idField: 'queue_id', schema: QueueSchema, exists: { status: 409, code: 11009 }, notFound: { status: 404, code: 11000 }, minPerPage: 1 },
] as const;

describe('control plane: named resources (KV namespaces, D1 databases, queues) share one definition', () => {
  for (const named of NAMED_KINDS) {
    it(`${named.kind}: creates by name, refuses the same name with ${named.exists.code}, gets, lists paged, deletes, then answers ${named.notFound.code}`, async () => {
      const name = `named-${named.idField}-${Date.now()}`;
      const created = await api.call('POST', named.path, { body: { [named.nameField]: name } });
      expect(created.status).toBe(200);
      const record: Record<string, unknown> = named.schema.parse(created.body.result);
      const id = String(record[named.idField]);
      expect(record[named.nameField]).toBe(name);

      const duplicate = await api.call('POST', named.path, { body: { [named.nameField]: name } });
      expect(duplicate.status).toBe(named.exists.status);
      expect(duplicate.body).toMatchObject({ success: false, result: null, errors: [{ code: named.exists.code }] });

      expect(named.schema.parse((await api.call('GET', `${named.path}/${id}`)).body.result)).toEqual(record);

      const all = await api.ok<unknown[]>('GET', `${named.path}?per_page=1000`);
      expect(all.map((item): unknown => (named.schema.parse(item) as Record<string, unknown>)[named.nameField])).toContain(name);
      const page = await api.call('GET', `${named.path}?per_page=${named.minPerPage}&page=1`);
      expect(page.body.result_info).toMatchObject({ page: 1, per_page: named.minPerPage, total_count: all.length });

      expect((await api.call('DELETE', `${named.path}/${id}`)).status).toBe(200);
      const gone = await api.call('GET', `${named.path}/${id}`);
      expect(gone.status).toBe(named.notFound.status);
      expect(gone.body.errors[0]?.code).toBe(named.notFound.code);
      expect((await api.call('DELETE', `${named.path}/${id}`)).body.errors[0]?.code).toBe(named.notFound.code);
    });

    it(`${named.kind}: a create body failing its schema answers 400 with 10021 naming the field; JSON sent as text/plain is read (as wrangler sends it); malformed JSON 10021`, async () => {
      const wrongType = await api.call('POST', named.path, { body: { [named.nameField]: 42 } });
      expect(wrongType.status).toBe(400);
      expect(wrongType.body.errors[0]?.code).toBe(10021);
      expect(wrongType.body.errors[0]?.message).toContain(`\`${named.nameField}\``);
      const missing = await api.call('POST', named.path, { body: {} });
      expect(missing.status).toBe(400);
      expect(missing.body.errors[0]?.message).toContain(`\`${named.nameField}\``);
      const name = `plain-${named.idField}-${Date.now()}`;
      const asText = await api.call('POST', named.path, { body: JSON.stringify({ [named.nameField]: name }), headers: { 'content-type': 'text/plain;charset=UTF-8' } });
      expect(asText.status).toBe(200);
      expect((named.schema.parse(asText.body.result) as Record<string, unknown>)[named.nameField]).toBe(name);
      for (const contentType of ['application/json', 'application/x-www-form-urlencoded']) {
        const malformed = await api.call('POST', named.path, { body: `${named.nameField}={"oops`, headers: { 'content-type': contentType } });
        expect(malformed.status).toBe(400);
        expect(malformed.body.errors[0]).toMatchObject({ code: 10021, message: expect.stringMatching(/not valid JSON/) });
      }
    });
  }
});

describe('data plane: bindings to registered and unregistered ids', () => {
  it('serves KV and D1 bindings by id, whether or not the id was created through the API', async () => {
    const namespace = await api.ok<Namespace>('POST', '/accounts/{a}/storage/kv/namespaces', { body: { title: 'counter-state' } });
    const database = await api.ok<Database>('POST', '/accounts/{a}/d1/database', { body: { name: 'counter-db' } });
    const source = `export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    await env.DB.exec('CREATE TABLE IF NOT EXISTS hits (n INTEGER)');
    if (url.pathname === '/write') {
      await env.REGISTERED.put('k', 'registered');
      await env.HARDCODED.put('k', 'hardcoded');
      await env.DB.prepare('INSERT INTO hits (n) VALUES (?)').bind(7).run();
      return new Response('written');
    }
    const row = await env.DB.prepare('SELECT SUM(n) AS total FROM hits').first();
    return Response.json({ registered: await env.REGISTERED.get('k'), hardcoded: await env.HARDCODED.get('k'), total: row.total });
  },
};`;
    await api.ok('PUT', '/accounts/{a}/workers/scripts/counter', {
      body: workerUpload(source, {
        bindings: [
          { type: 'kv_namespace', name: 'REGISTERED', namespace_id: namespace.id },
          { type: 'kv_namespace', name: 'HARDCODED', namespace_id: '0f3c9a1d2b4e4f60a7c8d9e0f1a2b3c4' },
          { type: 'd1', name: 'DB', id: database.uuid },
        ],
      }),
    });
    const [zone] = await api.ok<{ id: string }[]>('GET', '/zones?name=example.com');
    await api.ok('POST', `/zones/${zone?.id}/workers/routes`, { body: { pattern: 'counter.example.com/*', script: 'counter' } });
    expect((await requestDataPlane(edge.url, 'counter.example.com', '/write')).body).toBe('written');
    expect(JSON.parse((await requestDataPlane(edge.url, 'counter.example.com', '/read')).body)).toEqual({ registered: 'registered', hardcoded: 'hardcoded', total: 7 });
  });
});

describe('state: namespaces and databases survive a restart', () => {
  it('lists the same namespaces and databases after the edge restarts on its state directory', async () => {
    const namespaces = await api.ok<Namespace[]>('GET', '/accounts/{a}/storage/kv/namespaces?per_page=100');
    const databases = await api.ok<Database[]>('GET', '/accounts/{a}/d1/database');
    ({ edge, api } = local = await local.restart());
    expect(await api.ok<Namespace[]>('GET', '/accounts/{a}/storage/kv/namespaces?per_page=100')).toEqual(namespaces);
    expect(await api.ok<Database[]>('GET', '/accounts/{a}/d1/database')).toEqual(databases);
    expect(JSON.parse((await requestDataPlane(edge.url, 'counter.example.com', '/read')).body)).toMatchObject({ registered: 'registered', total: 7 });
  });
});
