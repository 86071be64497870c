import { usersContract } from '@edgeops/contracts/contracts';
import { withTestFleet } from '@edgeops/scripts/test-fleet';
import { describe, expect, it } from 'vitest';

const fleet = withTestFleet();

/** The typed client checks every response against the contract, so these tests check the provider's outputs too. */
const users = () => fleet.client(usersContract);

const raw = fleet.raw;

describe('users: contract routes', () => {
  it('creates a user and reads it back by id', async () => {
    const created = await users().createUser({ body: { email: 'ada@example.com', name: 'Ada' } });
    expect(created.status).toBe(201);
    if (created.status !== 201) throw new Error('not created');
    expect(created.body).toMatchObject({ email: 'ada@example.com', name: 'Ada' });
    expect(await users().getUser({ params: { id: created.body.id } })).toEqual({ status: 200, body: created.body });
  });

  it('refuses a second user with the same email with 409', async () => {
    await users().createUser({ body: { email: 'grace@example.com', name: 'Grace' } });
    const again = await users().createUser({ body: { email: 'GRACE@example.com', name: 'Grace H' } });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'email_taken' } });
  });

  it('lists users with a page size and a cursor', async () => {
    for (const name of ['a', 'b', 'c']) await users().createUser({ body: { email: `${name}@list.example.com`, name } });
    const first = await users().listUsers({ query: { limit: 2 } });
    expect(first.status).toBe(200);
    if (first.status !== 200) throw new Error('list failed');
    expect(first.body.users).toHaveLength(2);
    expect(first.body.cursor).toBeTypeOf('string');
    const rest = await users().listUsers({ query: { limit: 100, cursor: first.body.cursor } });
    if (rest.status !== 200) throw new Error('list failed');
    const ids = [...first.body.users, ...rest.body.users].map((user) => user.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('deletes a user: 204, then 404', async () => {
    const created = await users().createUser({ body: { email: 'gone@example.com', name: 'Gone' } });
    if (created.status !== 201) throw new Error('not created');
    expect(await users().deleteUser({ params: { id: created.body.id } })).toEqual({ status: 204, body: undefined });
    expect((await users().getUser({ params: { id: created.body.id } })).status).toBe(404);
    expect((await users().deleteUser({ params: { id: created.body.id } })).status).toBe(404);
  });
});

describe('users: sign-up attempts per email are limited (a Durable Object per address)', () => {
  it('allows SIGNUP_LIMIT attempts for one email within the window, then answers 429; other emails are not affected', async () => {
    const attempt = (email: string) => users().createUser({ body: { email, name: 'Lin' } });
    expect((await attempt('limit@example.com')).status).toBe(201);
    for (let tries = 2; tries <= 5; tries += 1) expect((await attempt('LIMIT@example.com')).status).toBe(409);
    const limited = await attempt('limit@example.com');
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ error: { code: 'rate_limited' } });
    expect((await attempt('other-limit@example.com')).status).toBe(201);
  });
});

describe('users: malformed requests get a 4xx JSON error, never a 500', () => {
  const cases: { name: string; path: string; init?: RequestInit; status: number; code: string }[] = [
    { name: 'malformed JSON', path: '/users', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":' }, status: 400, code: 'invalid_json' },
    { name: 'empty body', path: '/users', init: { method: 'POST', headers: { 'content-type': 'application/json' } }, status: 400, code: 'invalid_json' },
    { name: 'wrong content type', path: '/users', init: { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' }, status: 415, code: 'unsupported_media_type' },
    { name: 'missing fields', path: '/users', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }, status: 400, code: 'invalid_request' },
    { name: 'invalid email', path: '/users', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":"nope","name":"x"}' }, status: 400, code: 'invalid_request' },
    { name: 'bad query', path: '/users?limit=0', status: 400, code: 'invalid_request' },
    { name: 'oversize body', path: '/users', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'big@example.com', name: 'x'.repeat(70_000) }) }, status: 413, code: 'payload_too_large' },
    { name: 'a path parameter that is not valid percent-encoding', path: '/users/%E0%A4%A', status: 400, code: 'invalid_request' },
    { name: 'unknown route', path: '/users/a/b/c', status: 404, code: 'not_found' },
    { name: 'wrong method', path: '/users', init: { method: 'PUT' }, status: 405, code: 'method_not_allowed' },
  ];
  for (const testCase of cases) {
    it(`answers ${testCase.name} with ${testCase.status} ${testCase.code}`, async () => {
      const response = await raw(testCase.path, testCase.init);
      expect(response.status).toBe(testCase.status);
      expect(response.headers.get('content-type')).toContain('application/json');
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe(testCase.code);
      expect(body.error.message).not.toMatch(/at .*\.(js|ts):\d+/);
    });
  }

  it('names each bad field in a 400', async () => {
    const response = await raw('/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":""}' });
    const body = (await response.json()) as { error: { issues: { path: string }[] } };
    expect(body.error.issues.map((issue) => issue.path).sort()).toEqual(['body.email', 'body.name']);
  });

  it('answers 413 to an oversize body streamed without a declared length (read chunk by chunk up to the limit)', async () => {
    const chunk = new TextEncoder().encode(`{"email":"big@example.com","name":"${'x'.repeat(70_000)}"}`);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(chunk);
        controller.close();
      },
    });
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit;
    const response = await raw('/users', init);
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('says which methods a path allows', async () => {
    const response = await raw('/users/123', { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, DELETE');
  });

  it('echoes the caller\'s x-request-id, or makes one', async () => {
    expect((await raw('/users', { headers: { 'x-request-id': 'trace-1' } })).headers.get('x-request-id')).toBe('trace-1');
    expect((await raw('/users')).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
