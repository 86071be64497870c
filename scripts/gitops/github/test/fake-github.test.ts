import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHub } from './support/fake-github.ts';
import { githubOperations } from './support/openapi-operations.ts';

/**
 * The fake GitHub is only worth something if it refuses what GitHub's OpenAPI document does not
 * allow and only replies what the document describes. These tests speak raw HTTP to it.
 */

const TOKEN = 'ghs_fakeServerTestToken0001';
const REPO = 'octo/fleet';
let github: FakeGitHub;

async function call(method: string, path: string, options: { body?: unknown; token?: string | null } = {}) {
  const headers: Record<string, string> = { accept: 'application/vnd.github+json' };
  if (options.token !== null) headers.authorization = `token ${options.token ?? TOKEN}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${github.url}${path}`, { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as unknown) : undefined };
}

beforeAll(async () => {
  github = new FakeGitHub({ tokens: { [TOKEN]: { login: 'github-actions[bot]', type: 'Bot' } }, repos: { [REPO]: [7] } });
  await github.start();
});
afterAll(async () => {
  await github.stop();
});

describe('fake GitHub: requests the OpenAPI document does not allow', () => {
  it('answers 422 to a create-comment body missing `body`', async () => {
    const reply = await call('POST', `/repos/${REPO}/issues/7/comments`, { body: { text: 'no body field' } });
    expect(reply.status).toBe(422);
    expect((reply.body as { message: string }).message).toMatch(/body: must have required property 'body'/);
    expect(github.commentsOn(REPO, 7)).toEqual([]);
  });

  it('answers 422 to a body of the wrong type', async () => {
    const reply = await call('PATCH', `/repos/${REPO}/issues/comments/1`, { body: { body: 42 } });
    expect(reply.status).toBe(422);
    expect((reply.body as { message: string }).message).toMatch(/body\/body: must be string/);
  });

  it('answers 422 to a path parameter of the wrong type', async () => {
    const reply = await call('GET', `/repos/${REPO}/issues/seven/comments`);
    expect(reply.status).toBe(422);
    expect((reply.body as { message: string }).message).toMatch(/path\.issue_number: must be integer/);
  });

  it('answers 422 to an undocumented or mistyped query parameter', async () => {
    expect((await call('GET', `/repos/${REPO}/issues/7/comments?per_page=lots`)).status).toBe(422);
    const unknown = await call('GET', `/repos/${REPO}/issues/7/comments?sort=created`);
    expect(unknown.status).toBe(422);
    expect((unknown.body as { message: string }).message).toMatch(/query\.sort: is not a documented query parameter/);
  });

  it('answers 404 to a path or method the document does not have', async () => {
    expect((await call('POST', `/repos/${REPO}/issues/7/plan-comments`, { body: { body: 'x' } })).status).toBe(404);
    expect((await call('PUT', `/repos/${REPO}/issues/7/comments`, { body: { body: 'x' } })).status).toBe(404);
  });

  it('answers 401 without an authorization header, and to an unknown token', async () => {
    const anonymous = await call('GET', `/repos/${REPO}/issues/7/comments`, { token: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ message: 'Requires authentication' });
    expect((await call('GET', `/repos/${REPO}/issues/7/comments`, { token: 'ghs_wrong' })).status).toBe(401);
  });

  it('answers a 422 that itself matches the documented validation-error response', async () => {
    const reply = await call('POST', `/repos/${REPO}/issues/7/comments`, { body: {} });
    expect(reply.status).toBe(422);
    expect(githubOperations().validateResponse(githubOperations().match('POST', `/repos/${REPO}/issues/7/comments`)!, 422, reply.body)).toEqual([]);
  });
});

describe('fake GitHub: replies match the documented response schemas', () => {
  it('create, list, get and update a comment; every reply validates against its operation', async () => {
    const created = await call('POST', `/repos/${REPO}/issues/7/comments`, { body: { body: 'first' } });
    expect(created.status).toBe(201);
    const id = (created.body as { id: number }).id;
    const listed = await call('GET', `/repos/${REPO}/issues/7/comments?per_page=100`);
    const fetched = await call('GET', `/repos/${REPO}/issues/comments/${id}`);
    const updated = await call('PATCH', `/repos/${REPO}/issues/comments/${id}`, { body: { body: 'second' } });
    expect(listed.status).toBe(200);
    expect(fetched.status).toBe(200);
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id, body: 'second', user: { login: 'github-actions[bot]', type: 'Bot' } });

    // Checked here on the client side as well, independently of what the server recorded.
    const operations = githubOperations();
    expect(operations.validateResponse(operations.match('POST', `/repos/${REPO}/issues/7/comments`)!, 201, created.body)).toEqual([]);
    expect(operations.validateResponse(operations.match('GET', `/repos/${REPO}/issues/7/comments`)!, 200, listed.body)).toEqual([]);
    expect(operations.validateResponse(operations.match('GET', `/repos/${REPO}/issues/comments/${id}`)!, 200, fetched.body)).toEqual([]);
    expect(operations.validateResponse(operations.match('PATCH', `/repos/${REPO}/issues/comments/${id}`)!, 200, updated.body)).toEqual([]);
    expect(github.violations()).toEqual([]);
  });

  it('the response check is not vacuous: a comment missing required fields is reported', () => {
    const operations = githubOperations();
    const problems = operations.validateResponse(operations.match('PATCH', `/repos/${REPO}/issues/comments/1`)!, 200, { id: 1, body: 'x' });
    expect(problems.map((problem) => problem.message).join('\n')).toMatch(/must have required property 'node_id'/);
    expect(operations.validateResponse(operations.match('PATCH', `/repos/${REPO}/issues/comments/1`)!, 418, {})[0]?.message).toMatch(/documents no 418 response/);
  });

  it('pages the comment list with a Link header, as GitHub does', async () => {
    for (let index = 0; index < 3; index += 1) github.seedComment(REPO, 7, `seed ${index}`, { login: 'alice', type: 'User' });
    const first = await call('GET', `/repos/${REPO}/issues/7/comments?per_page=2&page=1`);
    expect((first.body as unknown[]).length).toBe(2);
    expect(first.headers.get('link')).toMatch(/page=2>; rel="next"/);
  });

  it('matches a literal path segment before a parameter (issues/comments/{id} is not issues/{number})', () => {
    expect(githubOperations().match('PATCH', `/repos/${REPO}/issues/comments/5`)?.operationId).toBe('issues/update-comment');
    expect(githubOperations().match('PATCH', `/repos/${REPO}/issues/5`)?.operationId).toBe('issues/update');
  });
});
