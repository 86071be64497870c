/**
 * Analytics on the local edge: the tail worker records each invocation per script and version,
 * and `POST /client/v4/graphql` answers Cloudflare's `workersInvocationsAdaptive` query shape with
 * the counts the load produced.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Edge } from '../src/index.ts';
import { type ApiClient, workerUpload } from './support/api-client.ts';
import { requestDataPlane } from './support/data-plane.ts';
import { withTestEdge } from './support/test-edge.ts';

let edge: Edge;
let api: ApiClient;

const WORKER = `export default { async fetch(request) {
  const { pathname } = new URL(request.url);
  if (pathname.endsWith('/boom')) throw new Error('boom');
  if (pathname.endsWith('/down')) return new Response('down', { status: 503 });
  console.log('served', pathname);
  return new Response('ok');
} };`;

// The query of Cloudflare's tutorial (https://developers.cloudflare.com/analytics/graphql-api/tutorials/querying-workers-metrics/),
// grouped by version as well.
const QUERY = `query GetWorkersAnalytics($accountTag: string, $datetimeStart: string, $datetimeEnd: string, $scriptName: string) {
  viewer {
    accounts(filter: {accountTag: $accountTag}) {
      workersInvocationsAdaptive(limit: 100, filter: { scriptName: $scriptName, datetime_geq: $datetimeStart, datetime_leq: $datetimeEnd }) {
        sum { subrequests requests errors }
        quantiles { cpuTimeP50 cpuTimeP99 }
        dimensions { scriptName scriptVersion }
      }
    }
  }
}`;

interface Group {
  sum: { requests: number; errors: number; subrequests: number };
  dimensions: Record<string, string>;
}

async function graphql(body: unknown, token = edge.token): Promise<{ status: number; json: { data: { viewer: { accounts: { workersInvocationsAdaptive: Group[] }[] } } | null; errors: { message: string }[] | null } }> {
  const response = await fetch(`${edge.apiUrl}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as never };
}

async function currentVersion(script: string): Promise<string> {
  const { deployments } = await api.ok<{ deployments: { versions: { version_id: string }[] }[] }>('GET', `/accounts/{a}/workers/scripts/${script}/deployments`);
  return deployments[0]?.versions[0]?.version_id ?? '';
}

async function hit(paths: string[]): Promise<void> {
  const before = edge.invocations.between().length;
  for (const path of paths) await requestDataPlane(edge.url, 'example.com', path);
  await vi.waitFor(() => expect(edge.invocations.between().length - before).toBe(paths.length), { timeout: 30_000, interval: 100 });
}

withTestEdge('edge-analytics-', (started) => ({ edge, api } = started));

describe('GraphQL Analytics API: workersInvocationsAdaptive', () => {
  it('counts requests and errors (exceptions and 5xx) per script version, as the load produced them', async () => {
    const start = new Date(Date.now() - 1000).toISOString();
    await api.ok('PUT', '/accounts/{a}/workers/scripts/counted', { body: workerUpload(WORKER) });
    const [zone] = await api.ok<{ id: string }[]>('GET', '/zones?name=example.com');
    await api.ok('POST', `/zones/${zone?.id ?? ''}/workers/routes`, { body: { pattern: 'example.com/counted*', script: 'counted' } });
    const first = await currentVersion('counted');
    await hit(['/counted/a', '/counted/b', '/counted/boom', '/counted/down', '/counted/c', '/counted/boom', '/counted/d']);
    await api.ok('PUT', '/accounts/{a}/workers/scripts/counted', { body: workerUpload(`${WORKER}\n// second`) });
    const second = await currentVersion('counted');
    expect(second).not.toBe(first);
    await hit(['/counted/e', '/counted/f', '/counted/down']);

    const answer = await graphql({
      query: QUERY,
      variables: { accountTag: edge.accountId, scriptName: 'counted', datetimeStart: start, datetimeEnd: new Date(Date.now() + 1000).toISOString() },
    });
    expect(answer.status).toBe(200);
    expect(answer.json.errors).toBeNull();
    const groups = answer.json.data?.viewer.accounts[0]?.workersInvocationsAdaptive ?? [];
    const byVersion = Object.fromEntries(groups.map((group) => [group.dimensions.scriptVersion, group.sum]));
    expect(byVersion).toEqual({
      [first]: { subrequests: 0, requests: 7, errors: 3 },
      [second]: { subrequests: 0, requests: 3, errors: 1 },
    });
    expect(groups.every((group) => group.dimensions.scriptName === 'counted')).toBe(true);

    // Filtered by version and by status (Cloudflare's values), grouped by status.
    const statuses = await graphql({
      query: `{ viewer { accounts(filter: {accountTag: "${edge.accountId}"}) { workersInvocationsAdaptive(limit: 10, filter: {scriptVersion: "${first}"}) { sum { requests } dimensions { status } } } } }`,
    });
    const byStatus = Object.fromEntries((statuses.json.data?.viewer.accounts[0]?.workersInvocationsAdaptive ?? []).map((group) => [group.dimensions.status, group.sum.requests]));
    expect(byStatus).toEqual({ success: 5, scriptThrewException: 2 });

    // A window that ends before the load: nothing.
    const before = await graphql({ query: QUERY, variables: { accountTag: edge.accountId, scriptName: 'counted', datetimeEnd: start } });
    expect(before.json.data?.viewer.accounts[0]?.workersInvocationsAdaptive).toEqual([]);
  });

  it('answers another account with no rows, a wrong field with a GraphQL error, and no token with 401', async () => {
    const other = await graphql({ query: QUERY, variables: { accountTag: '0123456789abcdef0123456789abcdef' } });
    expect(other.json.data?.viewer.accounts).toEqual([]);
    const wrong = await graphql({ query: '{ viewer { accounts(filter: {accountTag: "x"}) { workersInvocationsAdaptive(limit: 1) { sum { bogus } } } } }' });
    expect(wrong.json.data).toBeNull();
    expect(wrong.json.errors?.[0]?.message).toContain('Cannot query field "bogus"');
    const response = await fetch(`${edge.apiUrl}/graphql`, { method: 'POST', body: JSON.stringify({ query: QUERY }) });
    expect(response.status).toBe(401);
  });
});
