import { describe, expect, it } from 'vitest';
import type { CloudflareClient } from '../api/client.ts';
import { createR2Bucket, listR2Buckets } from '../api/cloudflare.ts';
import { planActions } from '../plan/plan.ts';
import { dataPlaneJson, reconcileInto, withTestEdge, type TestEdge } from './support/edge.ts';
import { createFixtureFleet, removeService, writeService, type FixtureService } from '../synthetic/fleet.ts';

/**
 * R2 buckets named in git (`[[r2_buckets]]` with `bucket_name`), reconciled into a real local edge:
 * created by name in the resources wave when missing, bound by name, used through the data plane,
 * never duplicated and never deleted, not even with prune.
 */
let edge: TestEdge;
let client: CloudflareClient;

withTestEdge((started, startedClient) => {
  edge = started;
  client = startedClient;
});

/** A Worker that stores `?v=` as the object `last` of its FILES bucket on /write and reads it on /read. */
const filesWorker = `export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname.endsWith('/write')) {
      await env.FILES.put('last', url.searchParams.get('v'));
      return Response.json({ written: url.searchParams.get('v') });
    }
    const object = await env.FILES.get('last');
    return Response.json({ r2: object === null ? null : await object.text(), version: env.VERSION });
  },
};
`;

const uploads = (version = '1.0.0'): FixtureService => ({
  name: 'b-uploads',
  version,
  routes: ['example.com/b/uploads*'],
  extraToml: '[[r2_buckets]]\nbinding = "FILES"\nbucket_name = "b-files"\n',
  source: filesWorker,
});
const reader: FixtureService = { name: 'b-reader', routes: ['example.com/b/reader*'], extraToml: '[[r2_buckets]]\nbinding = "FILES"\nbucket_name = "b-files"\n', source: filesWorker };

const read = (path: string) => dataPlaneJson(edge, path);
const bucketsNamed = async (name: string) => (await listR2Buckets(client)).filter((bucket) => bucket.name === name);

describe('reconciler against the local edge: R2 buckets by name', () => {
  it('r2: apply creates a missing bucket once (two services name it) before the uploads, the Workers share it, a second plan is empty', async () => {
    const rootDir = await createFixtureFleet([]);
    await writeService(rootDir, uploads());
    await writeService(rootDir, reader);

    const first = await reconcileInto(edge, rootDir);
    expect(first.plan.errors).toEqual([]);
    expect(first.result?.ok).toBe(true);
    expect(first.plan.waves[0]?.phase).toBe('resources');
    expect(first.plan.waves[0]?.actions).toEqual([expect.objectContaining({ kind: 'create-r2-bucket', bucket: 'b-files', services: ['b-reader', 'b-uploads'] })]);
    expect(await bucketsNamed('b-files')).toHaveLength(1);

    expect(await read('/b/uploads/write?v=report')).toEqual({ written: 'report' });
    expect(await read('/b/reader/read')).toMatchObject({ r2: 'report' });

    const second = await reconcileInto(edge, rootDir);
    expect(second.plan.errors).toEqual([]);
    expect(second.plan.waves).toEqual([]);

    // A new version binds the same bucket: the objects written before are still there.
    await writeService(rootDir, uploads('1.1.0'));
    const third = await reconcileInto(edge, rootDir);
    expect(third.result?.ok).toBe(true);
    expect(planActions(third.plan).map((action) => action.kind)).not.toContain('create-r2-bucket');
    expect(await read('/b/uploads/read')).toEqual({ r2: 'report', version: '1.1.0' });

    // Removing every service that names it, even with prune, deletes the scripts, never the bucket.
    await removeService(rootDir, 'b-uploads');
    await removeService(rootDir, 'b-reader');
    const pruned = await reconcileInto(edge, rootDir, { prune: true });
    expect(pruned.result?.ok).toBe(true);
    expect(planActions(pruned.plan).map((action) => action.kind).sort()).toEqual(['delete-route', 'delete-route', 'delete-script', 'delete-script']);
    expect(await bucketsNamed('b-files')).toHaveLength(1);
  });

  it('r2: a bucket that already exists (e.g. made by `wrangler r2 bucket create`) is bound, not created again', async () => {
    await createR2Bucket(client, 'b-existing');
    const rootDir = await createFixtureFleet([]);
    await writeService(rootDir, { name: 'b-archive', routes: ['example.com/b/archive*'], extraToml: '[[r2_buckets]]\nbinding = "FILES"\nbucket_name = "b-existing"\n', source: filesWorker });
    const outcome = await reconcileInto(edge, rootDir);
    expect(outcome.result?.ok).toBe(true);
    expect(planActions(outcome.plan).map((action) => action.kind)).not.toContain('create-r2-bucket');
    expect(await read('/b/archive/write?v=kept')).toEqual({ written: 'kept' });
    expect(await read('/b/archive/read')).toMatchObject({ r2: 'kept' });
    expect(await bucketsNamed('b-existing')).toHaveLength(1);
  });
});
