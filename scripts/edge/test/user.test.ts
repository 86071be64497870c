/**
 * The user, token and account listings clients start with (`wrangler whoami`, the official SDKs):
 * `/user`, `/user/tokens/verify`, and `/accounts` and `/memberships` honouring `page` so that an
 * auto-paginating client (one that asks for the next page until a page is empty) stops.
 */
import { describe, expect, it } from 'vitest';
import type { Edge } from '../src/index.ts';
import type { ApiClient } from './support/api-client.ts';
import { withTestEdge } from './support/test-edge.ts';

let edge: Edge;
let api: ApiClient;

withTestEdge('edge-user-', (started) => ({ edge, api } = started));

/** Pages through `path` the way the official SDKs' `V4PagePaginationArray` does: next page until an empty one. */
async function autoPaginate(path: string): Promise<{ items: { id: string }[]; requests: number }> {
  const items: { id: string }[] = [];
  for (let page = 1; page <= 10; page += 1) {
    const response = await api.call<{ id: string }[]>('GET', `${path}?page=${page}`);
    expect(response.validation.errors).toEqual([]);
    if (response.body.result.length === 0) return { items, requests: page };
    items.push(...response.body.result);
  }
  throw new Error(`${path} never answered an empty page`);
}

describe('user and accounts', () => {
  it('user: GET /user answers the edge user with an email', async () => {
    const user = await api.ok<{ id: string; email: string }>('GET', '/user');
    expect(user.email).toBe('edge@edgeops.local');
    expect(user.id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('user: GET /user/tokens/verify says the token is active, and refuses a wrong token', async () => {
    expect(await api.ok<{ status: string }>('GET', '/user/tokens/verify')).toMatchObject({ status: 'active' });
    const refused = await api.call('GET', '/user/tokens/verify', { token: 'not-the-token' });
    expect(refused.status).toBe(403);
    expect(refused.body.errors[0]?.code).toBe(10000);
  });

  it.each(['/accounts', '/memberships'])('user: %s honours page, so auto-pagination ends after one account', async (path) => {
    const { items, requests } = await autoPaginate(path);
    expect(requests).toBe(2);
    expect(items).toHaveLength(1);
  });

  it.each(['/accounts', '/memberships'])('user: %s reports page info a page-counting client stops on', async (path) => {
    const response = await api.call<unknown[]>('GET', `${path}?per_page=5`);
    expect(response.body.result_info).toMatchObject({ page: 1, per_page: 5, count: 1, total_count: 1, total_pages: 1 });
    const accountIds = response.body.result.map((item) => (path === '/accounts' ? (item as { id: string }).id : (item as { account: { id: string } }).account.id));
    expect(accountIds).toEqual([edge.accountId]);
  });
});
