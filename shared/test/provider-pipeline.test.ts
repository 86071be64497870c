/**
 * The provider's per-route pipeline (request-parts.ts, reply.ts): built once per route, synchronous
 * where it can be, and still validating every part and every reply, whether a schema answers
 * synchronously (zod's usual case) or asynchronously (an async refinement).
 */
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { defineContract, implement, route, type ErrorBody, type Handlers } from '../src/index.ts';

/** Accepts what `sync` accepts, but answers through a promise (as any async refinement makes zod do). */
const later = <S extends z.ZodType>(sync: S) => sync.refine(async () => true);

const Thing = z.object({ id: z.string(), size: z.number().int() });
const Size = z.object({ size: z.number().int().min(0) });
const Id = z.object({ id: z.string().min(2) });
const Page = z.object({ limit: z.coerce.number().int().max(10).default(5) });

const contract = defineContract({
  service: 'pipeline',
  routes: {
    syncAll: route({ method: 'PUT', path: '/sync/:id', params: Id, query: Page, body: Size, responses: { 200: Thing } }),
    asyncAll: route({ method: 'PUT', path: '/async/:id', params: later(Id), query: later(Page), body: later(Size), responses: { 200: later(Thing) } }),
    asyncQuery: route({ method: 'GET', path: '/async-query/:id', params: Id, query: later(Page), responses: { 200: Thing } }),
    bare: route({ method: 'GET', path: '/bare', responses: { 200: z.object({ parts: z.array(z.string()) }) } }),
    gone: route({ method: 'DELETE', path: '/things/:id', params: Id, responses: { 204: null } }),
    lie: route({ method: 'GET', path: '/lie', responses: { 200: Thing } }),
    asyncLie: route({ method: 'GET', path: '/async-lie', responses: { 200: later(Thing) } }),
    undeclared: route({ method: 'GET', path: '/undeclared', responses: { 200: Thing } }),
  },
});

const handlers: Handlers<typeof contract, unknown> = {
  syncAll: ({ params, query, body }) => ({ status: 200, body: { id: `${params.id}:${query.limit}`, size: body.size } }),
  // An async handler: its reply is awaited before it is checked.
  asyncAll: async ({ params, query, body }) => ({ status: 200, body: { id: `${params.id}:${query.limit}`, size: body.size } }),
  asyncQuery: ({ params, query }) => ({ status: 200, body: { id: `${params.id}:${query.limit}`, size: 0 } }),
  bare: ({ params, query, body }) => ({ status: 200, body: { parts: [params, query, body].map((part) => (part === undefined ? 'none' : 'some')) } }),
  gone: () => ({ status: 204, body: undefined }),
  // Provider bugs the type system cannot see (data from storage, say): caught at run time.
  lie: () => ({ status: 200, body: JSON.parse('{"id":1}') as z.infer<typeof Thing> }),
  asyncLie: async () => ({ status: 200, body: JSON.parse('{"id":1}') as z.infer<typeof Thing> }),
  undeclared: () => ({ status: JSON.parse('201') as 200, body: { id: 'x', size: 1 } }),
};

const checked = implement(contract, handlers);
const unchecked = implement(contract, handlers, { checkResponses: false });
const ctx = { waitUntil: () => undefined };

function call(path: string, init: RequestInit = {}, provider = checked): Promise<Response> {
  const headers = init.body === undefined ? init.headers : { 'content-type': 'application/json', ...init.headers };
  return provider.fetch(new Request(`https://pipeline.test${path}`, { ...init, headers }), {}, ctx);
}

async function errorOf(response: Response): Promise<ErrorBody['error']> {
  return ((await response.json()) as ErrorBody).error;
}

describe('provider pipeline', () => {
  for (const kind of ['sync', 'async'] as const) {
    describe(`${kind} schemas`, () => {
      it('hands the handler validated params, query (coerced, defaulted) and body', async () => {
        const response = await call(`/${kind}/ab?limit=7`, { method: 'PUT', body: JSON.stringify({ size: 3 }) });
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ id: 'ab:7', size: 3 });
        const defaulted = await call(`/${kind}/ab`, { method: 'PUT', body: JSON.stringify({ size: 3 }) });
        expect(await defaulted.json()).toEqual({ id: 'ab:5', size: 3 });
      });

      it('answers the first bad part with 400: params before query before body', async () => {
        const everythingBad = await call(`/${kind}/a?limit=11`, { method: 'PUT', body: '{"size":-1}' });
        expect(everythingBad.status).toBe(400);
        expect((await errorOf(everythingBad)).issues?.map((issue) => issue.path)).toEqual(['params.id']);
        const badQuery = await call(`/${kind}/ab?limit=11`, { method: 'PUT', body: 'not json' });
        expect((await errorOf(badQuery)).issues?.map((issue) => issue.path)).toEqual(['query.limit']);
        const badBody = await call(`/${kind}/ab`, { method: 'PUT', body: '{"size":-1}' });
        expect(badBody.status).toBe(400);
        expect(await errorOf(badBody)).toMatchObject({ code: 'invalid_request', issues: [{ path: 'body.size' }] });
      });
    });
  }

  it('validates an asynchronous query schema on a route without a body', async () => {
    expect(await (await call('/async-query/ab?limit=2')).json()).toEqual({ id: 'ab:2', size: 0 });
    const bad = await call('/async-query/ab?limit=zero');
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).issues?.map((issue) => issue.path)).toEqual(['query.limit']);
  });

  it('reads no part a route does not declare', async () => {
    const response = await call('/bare?limit=3');
    expect(await response.json()).toEqual({ parts: ['none', 'none', 'none'] });
  });

  it('decodes percent-encoded path parameters, and refuses bad encoding with 400', async () => {
    expect(await (await call('/sync/a%20b', { method: 'PUT', body: '{"size":1}' })).json()).toEqual({ id: 'a b:5', size: 1 });
    const bad = await call('/sync/a%E0%A4%A', { method: 'PUT', body: '{"size":1}' });
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).message).toContain('percent-encoding');
  });

  it('tells an empty or blank body from malformed JSON', async () => {
    for (const body of ['', '  \n']) {
      const response = await call('/sync/ab', { method: 'PUT', body });
      expect(await errorOf(response)).toMatchObject({ code: 'invalid_json', message: expect.stringContaining('empty') });
    }
    expect(await errorOf(await call('/sync/ab', { method: 'PUT', body: '{"size":' }))).toMatchObject({
      code: 'invalid_json',
      message: expect.stringContaining('not valid JSON'),
    });
  });

  it('accepts a JSON media type with parameters or a +json suffix', async () => {
    for (const contentType of ['application/json; charset=utf-8', 'Application/JSON', 'application/merge-patch+json']) {
      const response = await call('/sync/ab', { method: 'PUT', body: '{"size":2}', headers: { 'content-type': contentType } });
      expect(response.status).toBe(200);
    }
  });

  it('answers a declared bodiless status without a body, with x-request-id', async () => {
    const response = await call('/things/ab', { method: 'DELETE', headers: { 'x-request-id': 'rid-204' } });
    expect(response.status).toBe(204);
    expect(response.headers.get('x-request-id')).toBe('rid-204');
    expect(await response.text()).toBe('');
  });

  it('sends JSON with its content type and x-request-id, on contract routes and /openapi.json alike', async () => {
    for (const path of ['/bare', '/openapi.json']) {
      const response = await call(path, { headers: { 'x-request-id': 'rid-json' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(response.headers.get('x-request-id')).toBe('rid-json');
    }
  });

  it('refuses a reply that breaks its schema (sync or async) or has an undeclared status: 500, and the reason logged', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      for (const [path, reason] of [['/lie', 'breaks its contract: id:'], ['/async-lie', 'breaks its contract: id:'], ['/undeclared', 'status 201, which its contract does not declare']] as const) {
        const response = await call(path, { headers: { 'x-request-id': 'rid-500' } });
        expect(response.status).toBe(500);
        expect(await errorOf(response)).toMatchObject({ code: 'internal_error', requestId: 'rid-500' });
        expect(String(logged.mock.lastCall?.[1])).toContain(reason);
      }
    } finally {
      logged.mockRestore();
    }
  });

  it('sends replies unchecked with checkResponses: false', async () => {
    const lie = await call('/lie', {}, unchecked);
    expect(lie.status).toBe(200);
    expect(await lie.json()).toEqual({ id: 1 });
    expect((await call('/undeclared', {}, unchecked)).status).toBe(201);
    expect((await call('/things/ab', { method: 'DELETE' }, unchecked)).status).toBe(204);
  });
});
