/**
 * Analytics on the local edge: the tail worker records each invocation per script and version,
 * and `POST /client/v4/graphql` answers Cloudflare's `workersInvocationsAdaptive` query shape with
 * the counts the load produced.
 */
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { startEdge, type Edge } from '../src/index.ts';
import { ANALYTICS_DIR, INVOCATIONS_FILE, InvocationFile } from '../src/analytics/invocation-file.ts';
import { InvocationLog } from '../src/analytics/invocation-log.ts';
import type { TraceBatch } from '../src/analytics/trace-item.ts';
import { ApiClient, workerUpload } from './support/api-client.ts';
import { requestDataPlane } from './support/data-plane.ts';
import { withEdgeDir } from './support/test-edge.ts';

let edge: Edge;
let stateDir: string;
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

async function start(): Promise<void> {
  edge = await startEdge({ stateDir, apiPort: 0, dataPort: 0, zones: ['example.com'] });
  api = new ApiClient(edge.apiUrl, edge.token, edge.accountId);
}

/** `sum { requests errors }` per version of `script`, over all time. */
async function countsByVersion(script: string): Promise<Record<string, Group['sum']>> {
  const answer = await graphql({ query: QUERY, variables: { accountTag: edge.accountId, scriptName: script } });
  return Object.fromEntries((answer.json.data?.viewer.accounts[0]?.workersInvocationsAdaptive ?? []).map((group) => [group.dimensions.scriptVersion, group.sum]));
}

withEdgeDir(
  'edge-analytics-',
  async (root) => {
    stateDir = root;
    await start();
  },
  () => edge,
);

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

  it('the counts survive an edge restart; a damaged analytics file stops the start naming file and line, a torn last line is dropped', async () => {
    const before = await countsByVersion('counted');
    expect(Object.keys(before)).toHaveLength(2);
    await edge.stop();
    await start();
    expect(await countsByVersion('counted')).toEqual(before);

    await edge.stop();
    const file = join(stateDir, ANALYTICS_DIR, INVOCATIONS_FILE);
    const kept = await readFile(file, 'utf8');
    const lines = kept.split('\n').length - 1;
    await appendFile(file, `${JSON.stringify({ script: 'counted', versionId: 'v', timestamp: 'yesterday' })}\n`);
    await expect(startEdge({ stateDir, apiPort: 0, dataPort: 0 })).rejects.toThrow(`edge analytics file ${file} line ${lines + 1} is not an invocation the edge writes (timestamp:`);
    await writeFile(file, `${kept.replace('edgeops-invocations', 'something-else')}`);
    await expect(startEdge({ stateDir, apiPort: 0, dataPort: 0 })).rejects.toThrow(`edge analytics file ${file} line 1 is not the header the edge writes`);
    // What a crash in the middle of an append leaves: counted as before, the torn line dropped.
    await writeFile(file, `${kept}{"script":"coun`);
    await start();
    expect(await countsByVersion('counted')).toEqual(before);
  });

  it('measures wall time from the event to its trace (workerd reports none), and reports no CPU time', async () => {
    const slow = `export default { async fetch() { await new Promise((resolve) => setTimeout(resolve, 80)); return new Response('late'); } };`;
    await api.ok('PUT', '/accounts/{a}/workers/scripts/timed', { body: workerUpload(slow) });
    const [zone] = await api.ok<{ id: string }[]>('GET', '/zones?name=example.com');
    await api.ok('POST', `/zones/${zone?.id ?? ''}/workers/routes`, { body: { pattern: 'example.com/timed*', script: 'timed' } });
    await hit(['/timed/1', '/timed/2']);
    const timed = edge.invocations.between().filter((invocation) => invocation.script === 'timed');
    expect(timed.every((invocation) => invocation.wallTimeMs >= 80 && invocation.cpuTimeMs === 0)).toBe(true);
    const answer = await graphql({
      query: `{ viewer { accounts(filter: {accountTag: "${edge.accountId}"}) { workersInvocationsAdaptive(limit: 10, filter: {scriptName: "timed"}) { sum { requests wallTime cpuTimeUs } quantiles { wallTimeP50 cpuTimeP50 } } } } }`,
    });
    const [group] = (answer.json.data?.viewer.accounts[0]?.workersInvocationsAdaptive ?? []) as unknown as { sum: { requests: number; wallTime: number; cpuTimeUs: number }; quantiles: { wallTimeP50: number; cpuTimeP50: number } }[];
    expect(group?.sum.requests).toBe(2);
    // Cloudflare reports both in microseconds.
    expect(group?.sum.wallTime).toBeGreaterThanOrEqual(2 * 80_000);
    expect(group?.quantiles.wallTimeP50).toBeGreaterThanOrEqual(80_000);
    expect(group?.sum.cpuTimeUs).toBe(0);
    expect(group?.quantiles.cpuTimeP50).toBe(0);
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

describe('the invocation log on disk', () => {
  const batch = (timestamp: number, count: number): TraceBatch => ({
    script: 'kept',
    versionId: 'v1',
    deliveredAt: timestamp + 5,
    traces: Array.from({ length: count }, () => ({ eventTimestamp: timestamp, outcome: 'ok', cpuTime: 0, wallTime: 0, logs: [], exceptions: [], event: { request: { url: 'http://a/', method: 'GET', headers: {} }, response: { status: 200 } } })),
  });

  it('keeps the newest maxCount invocations of the last maxAge, compacting the file as it grows and on open', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'edge-invocations-'));
    try {
      const retention = { maxCount: 4, maxAgeMs: 60_000 };
      let now = 1_000_000;
      const opened = await InvocationFile.open(dir, retention, now);
      expect(opened.restored).toEqual([]);
      const log = new InvocationLog(retention, () => now, opened.restored);
      opened.file.follow(log);
      log.record(batch(now - 1000, 3));
      log.record(batch(now, 3));
      await opened.file.close();
      const file = join(dir, ANALYTICS_DIR, INVOCATIONS_FILE);
      // 6 lines is not over 1.5 × 4: not yet compacted.
      expect((await readFile(file, 'utf8')).split('\n').filter(Boolean)).toHaveLength(1 + 6);
      log.record(batch(now + 10, 1));
      await opened.file.close();
      expect((await readFile(file, 'utf8')).split('\n').filter(Boolean)).toHaveLength(1 + 4);
      expect(log.between().map((invocation) => invocation.timestamp)).toEqual([now, now, now, now + 10]);
      expect(log.between()[0]?.wallTimeMs).toBe(5);

      const reopened = await InvocationFile.open(dir, retention, now);
      expect(reopened.restored).toEqual(log.between());
      // A minute on, the older three are past the retention's age; the newest stays.
      now += 60_005;
      const aged = await InvocationFile.open(dir, retention, now);
      expect(aged.restored.map((invocation) => invocation.timestamp)).toEqual([now - 60_005 + 10]);
      expect((await readFile(file, 'utf8')).split('\n').filter(Boolean)).toHaveLength(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
