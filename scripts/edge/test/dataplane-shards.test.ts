/**
 * The data plane's shards end to end (dataplane/shard-plan.ts, shard-set.ts, upstream-selection.ts):
 * each Worker counts its requests in module state, which lives as long as its workerd. An apply
 * that changes one script restarts its shard only: an independent script keeps counting, while a
 * script bound to the changed one moved into its shard and restarted with it. With one version
 * Worker per shard (`shardCap: 1`) every script that shares nothing runs in a workerd of its own,
 * so the listener's choice of shard is exercised for routes, Custom Domains, workers.dev and the
 * requests that reach no Worker.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataPlane, fetchWithHost, type DataPlane } from '../src/dataplane/index.ts';
import type { SnapshotBinding } from '../src/snapshot.ts';
import { script, snapshot, version } from './dataplane-fixtures.ts';

process.env.WRANGLER_SEND_METRICS = 'false';

/** Answers with its label and how many requests this isolate has served; `?put=<v>` stores v in KV (when bound). */
function countingWorker(label: string): string {
  return `let served = 0;
export default {
  async fetch(request, env) {
    served++;
    const put = new URL(request.url).searchParams.get('put');
    if (put !== null) await env.STORE.put('last', put);
    const last = env.STORE ? await env.STORE.get('last') : undefined;
    const callee = env.LEFT ? await (await env.LEFT.fetch('http://left.internal/')).json() : undefined;
    return Response.json({ worker: ${JSON.stringify(label)}, served, callee, last });
  },
};`;
}

interface Count {
  worker: string;
  served: number;
  callee?: Count;
  last?: string;
}

const kvBinding: SnapshotBinding = { type: 'kv_namespace', name: 'STORE', namespace_id: 'ns-left' };
const leftBinding: SnapshotBinding = { type: 'service', name: 'LEFT', service: 'left' };

function account(leftLabel: string, right = { id: 'right-1', source: countingWorker('right'), bindings: [] as SnapshotBinding[] }) {
  return snapshot({
    scripts: [
      script('left', [version(`left-${leftLabel}`, countingWorker(leftLabel), { bindings: [kvBinding] })]),
      script('right', [version(right.id, right.source, { bindings: right.bindings })]),
      script('caller', [version('caller-1', countingWorker('caller'), { bindings: [leftBinding] })], { workersDev: true }),
    ],
    routes: [
      { zoneName: 'example.com', pattern: 'example.com/left*', script: 'left' },
      { zoneName: 'example.com', pattern: 'example.com/static*' },
    ],
    customDomains: [{ hostname: 'right.example.com', script: 'right' }],
    kvNamespaces: ['ns-left', 'ns-unbound'],
  });
}

let persistDir: string;
let dataPlane: DataPlane;

async function count(host: string, pathAndQuery = '/'): Promise<Count> {
  const response = await fetchWithHost(dataPlane.url, host, pathAndQuery);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as Count;
}

beforeAll(async () => {
  persistDir = await mkdtemp(path.join(tmpdir(), 'edge-shards-'));
  dataPlane = await createDataPlane({ port: 0, persistDir, shardCap: 1 });
  await dataPlane.apply(account('v1'));
});

afterAll(async () => {
  await dataPlane?.dispose();
  await rm(persistDir, { recursive: true, force: true });
});

describe('dataplane shards: an apply restarts only what changed', () => {
  it('dataplane shards: changing one script leaves an independent one running, and restarts the script bound to it', async () => {
    expect(await count('example.com', '/left?put=first')).toMatchObject({ worker: 'v1', served: 1 });
    expect(await count('right.example.com')).toMatchObject({ worker: 'right', served: 1 });
    expect(await count('right.example.com')).toMatchObject({ worker: 'right', served: 2 });
    expect(await count('caller.edgeops.workers.dev')).toMatchObject({ worker: 'caller', served: 1, callee: { worker: 'v1', served: 2 } });

    await dataPlane.apply(account('v2'));

    // right shares nothing with left: its workerd kept running, and so did its module state.
    expect(await count('right.example.com')).toMatchObject({ worker: 'right', served: 3 });
    // caller binds left: it runs in left's shard, which restarted with the new version.
    expect(await count('caller.edgeops.workers.dev')).toMatchObject({ worker: 'caller', served: 1, callee: { worker: 'v2', served: 1 } });
    expect(await count('example.com', '/left')).toMatchObject({ worker: 'v2', served: 2 });
  });

  it('dataplane shards: an apply that changes no Worker restarts nothing', async () => {
    const before = await count('right.example.com');
    await dataPlane.apply(account('v2'));
    expect(await count('right.example.com')).toMatchObject({ served: before.served + 1 });
  });

  it('dataplane shards: the API reaches a namespace in the shard that holds it, bound or not', async () => {
    await count('example.com', '/left?put=second');
    const bound = await dataPlane.kvNamespace('ns-left');
    const value = await bound?.get('last');
    expect(value && new TextDecoder().decode(value.value)).toBe('second');
    const unbound = await dataPlane.kvNamespace('ns-unbound');
    expect(unbound).toBeDefined();
    expect((await unbound?.list({}))?.keys).toEqual([]);
  });

  it('dataplane shards: requests that reach no Worker are answered as before, whichever shard answers', async () => {
    const unmatched = await fetchWithHost(dataPlane.url, 'nowhere.example.org', '/x');
    expect(unmatched.status).toBe(404);
    expect(unmatched.headers.get('cf-ray')).toMatch(/^[0-9a-f]{16}-/);
    expect(await unmatched.json()).toMatchObject({ error: 'no_route_matched', host: 'nowhere.example.org', path: '/x' });
    const negated = await fetchWithHost(dataPlane.url, 'example.com', '/static/logo.png');
    expect(negated.status).toBe(404);
    expect(await negated.json()).toMatchObject({ error: 'route_negated' });
  });

  it('dataplane shards: a shard that fails to start goes back to its previous Workers; the others are not touched', async () => {
    const before = await count('example.com', '/left');
    await expect(dataPlane.apply(account('v2', { id: 'right-broken', source: 'export default {', bindings: [] }))).rejects.toThrow(/worker "right@right-broken" failed to start.*still serving the previous snapshot/s);
    expect(await count('right.example.com')).toMatchObject({ worker: 'right' });
    expect(await count('example.com', '/left')).toMatchObject({ worker: 'v2', served: before.served + 1 });
  });

  it('dataplane shards: a binding that joins two shards moves them into one, with the data of the resource they now share', async () => {
    await dataPlane.apply(account('v2', { id: 'right-2', source: countingWorker('right'), bindings: [kvBinding] }));
    expect(await count('right.example.com')).toMatchObject({ worker: 'right', served: 1, last: 'second' });
    expect(await count('example.com', '/left?put=third')).toMatchObject({ worker: 'v2', served: 1, last: 'third' });
    expect(await count('right.example.com')).toMatchObject({ served: 2, last: 'third' });
  });
});
