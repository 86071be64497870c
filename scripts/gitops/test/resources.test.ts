import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import type { CloudflareClient } from '../api/client.ts';
import { QueueSchema } from '../../cloudflare/api/queues.ts';
import { createKvNamespace, createQueue, listD1Databases, listDeployments, listKvNamespaces, scriptPath } from '../api/cloudflare.ts';
import { listAllPages } from '../api/pages.ts';
import { planActions } from '../plan/plan.ts';
import { dataPlaneJson, reconcileInto, withTestEdge, type TestEdge } from './support/edge.ts';
import { createFixtureFleet, writeService, type FixtureService } from '../synthetic/fleet.ts';

/**
 * KV namespaces and D1 databases named in git (bindings without an id), reconciled into a real
 * local edge: created by name (KV: `<worker>-<binding>`, as wrangler provisions; D1:
 * `database_name`), bound by id at upload, used through the data plane, never duplicated.
 */
let edge: TestEdge;
let client: CloudflareClient;

withTestEdge((started, startedClient) => {
  edge = started;
  client = startedClient;
});

/** A Worker that writes `?v=` to its KV namespace and D1 database on /write and reads both back on /read. */
const storageWorker = `export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    await env.DB.exec('CREATE TABLE IF NOT EXISTS notes (body TEXT)');
    if (url.pathname.endsWith('/write')) {
      const value = url.searchParams.get('v');
      if (env.STORE) await env.STORE.put('last', value);
      await env.DB.prepare('INSERT INTO notes (body) VALUES (?)').bind(value).run();
      return Response.json({ written: value });
    }
    const rows = await env.DB.prepare('SELECT body FROM notes ORDER BY rowid').all();
    return Response.json({ kv: env.STORE ? await env.STORE.get('last') : null, d1: rows.results.map((row) => row.body), version: env.VERSION });
  },
};
`;

const sessions = (version = '1.0.0'): FixtureService => ({
  name: 'r-sessions',
  version,
  routes: ['example.com/r/sessions*'],
  extraToml: '[[kv_namespaces]]\nbinding = "STORE"\n\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "r-ledger"\n',
  source: storageWorker,
});
const audit: FixtureService = { name: 'r-audit', routes: ['example.com/r/audit*'], extraToml: '[[d1_databases]]\nbinding = "DB"\ndatabase_name = "r-ledger"\n', source: storageWorker };

/** The bindings of the version a script serves, as the API shows them. */
async function deployedBindings(script: string): Promise<Record<string, unknown>[]> {
  const versionId = (await listDeployments(client, script))[0]?.versions[0]?.version_id ?? '';
  const version = await client.request<{ resources: { bindings: Record<string, unknown>[] } }>('GET', scriptPath(client, script, `/versions/${versionId}`));
  return version.result.resources.bindings;
}

const read = (path: string) => dataPlaneJson(edge, path);

describe('reconciler against the local edge: KV namespaces and D1 databases by name', () => {
  it('resources: apply from an empty account creates them by name, the workers use them, a second plan is empty, a rerun creates no duplicates', async () => {
    const rootDir = await createFixtureFleet([]);
    await writeService(rootDir, sessions());
    await writeService(rootDir, audit);

    const first = await reconcileInto(edge, rootDir);
    expect(first.plan.errors).toEqual([]);
    expect(first.result?.ok).toBe(true);
    const firstActions = planActions(first.plan);
    expect(first.plan.waves[0]?.actions.map((action) => action.kind).sort()).toEqual(['create-d1-database', 'create-kv-namespace']);
    expect(firstActions.filter((action) => action.kind === 'create-d1-database')).toHaveLength(1);

    const namespaces = (await listKvNamespaces(client)).filter((namespace) => namespace.title === 'r-sessions-store');
    const databases = (await listD1Databases(client)).filter((database) => database.name === 'r-ledger');
    expect(namespaces).toHaveLength(1);
    expect(databases).toHaveLength(1);
    expect(await deployedBindings('r-sessions')).toEqual(expect.arrayContaining([
      { type: 'kv_namespace', name: 'STORE', namespace_id: namespaces[0]?.id },
      { type: 'd1', name: 'DB', id: databases[0]?.uuid },
    ]));

    expect(await read('/r/sessions/write?v=first')).toEqual({ written: 'first' });
    expect(await read('/r/sessions/read')).toMatchObject({ kv: 'first', d1: ['first'] });
    // Two services naming one database share it.
    expect(await read('/r/audit/read')).toMatchObject({ d1: ['first'] });

    edge.edge.faults.clearLog();
    const second = await reconcileInto(edge, rootDir);
    expect(second.plan.errors).toEqual([]);
    expect(second.plan.waves).toEqual([]);
    // The no-op plan stays at one call per service + a constant: the resource lists are one call each.
    const calls = edge.edge.faults.log().map((entry) => `${entry.method} ${entry.path}`);
    expect(calls.filter((call) => call.endsWith('/storage/kv/namespaces'))).toHaveLength(1);
    expect(calls.filter((call) => call.endsWith('/d1/database'))).toHaveLength(1);
    expect(calls.length).toBeLessThanOrEqual(2 + 9);

    // A new version binds the same namespace and database: the data written before is still there.
    await writeService(rootDir, sessions('1.1.0'));
    const third = await reconcileInto(edge, rootDir);
    expect(third.result?.ok).toBe(true);
    expect(planActions(third.plan).map((action) => action.kind)).not.toContain('create-kv-namespace');
    expect(planActions(third.plan).map((action) => action.kind)).not.toContain('create-d1-database');
    expect(await read('/r/sessions/read')).toEqual({ kv: 'first', d1: ['first'], version: '1.1.0' });
    expect((await listKvNamespaces(client)).filter((namespace) => namespace.title === 'r-sessions-store')).toHaveLength(1);
    expect((await listD1Databases(client)).filter((database) => database.name === 'r-ledger')).toHaveLength(1);
  });

  it('resources: a namespace that already exists under the wrangler-provisioned title is bound, not created again', async () => {
    const existing = await createKvNamespace(client, 'r-cache-store');
    const rootDir = await createFixtureFleet([]);
    await writeService(rootDir, { name: 'r-cache', routes: ['example.com/r/cache*'], extraToml: '[[kv_namespaces]]\nbinding = "STORE"\n\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "r-cache-db"\n', source: storageWorker });
    const outcome = await reconcileInto(edge, rootDir);
    expect(outcome.result?.ok).toBe(true);
    expect(planActions(outcome.plan).map((action) => action.kind)).toEqual(expect.not.arrayContaining(['create-kv-namespace']));
    expect(await deployedBindings('r-cache')).toContainEqual({ type: 'kv_namespace', name: 'STORE', namespace_id: existing.id });
    expect(await read('/r/cache/write?v=cached')).toEqual({ written: 'cached' });
    expect(await read('/r/cache/read')).toMatchObject({ kv: 'cached', d1: ['cached'] });
  });
});

describe('reconciler client: page-numbered lists', () => {
  it('pages: reads every page of a list until result_info says it was the last, and one request for an empty list', async () => {
    const readQueues = (result: unknown) => z.array(QueueSchema).parse(result);
    const path = client.accountPath('/queues');
    expect(await listAllPages(client, path, 2, readQueues, { name: 'p-none' })).toEqual([]);
    const names = ['p-1', 'p-2', 'p-3', 'p-4', 'p-5'];
    for (const name of names) await createQueue(client, name);
    const listed = await listAllPages(client, path, 2, readQueues);
    expect(listed.map((queue) => queue.queue_name).filter((name) => name.startsWith('p-')).sort()).toEqual(names);
    expect(new Set(listed.map((queue) => queue.queue_id)).size).toBe(listed.length);
  });
});
