/**
 * The data plane's shard plan (dataplane/shard-plan.ts): scripts that share anything land in one
 * shard, shards are packed up to a cap, and an apply keeps every script where it was unless its
 * component changed.
 */
import { describe, expect, it } from 'vitest';
import { componentSnapshot, components, HOME_SHARD, planShards, shardOfResource, shardOfScript, shardSnapshot, type ShardAssignment } from '../src/dataplane/shard-plan.ts';
import type { SnapshotBinding } from '../src/snapshot.ts';
import { echoWorker, script, snapshot, version } from './dataplane-fixtures.ts';

const worker = (name: string, bindings: SnapshotBinding[] = [], versions = 1) =>
  script(
    name,
    Array.from({ length: versions }, (_, index) => version(`${name}-v${index}`, echoWorker(name), { percentage: index === 0 ? 100 - (versions - 1) : 1, bindings })),
  );

/** Each shard's scripts, sorted (a shard's order plays no part: its part of the snapshot keeps the account's order). */
const scriptsOf = (assignment: ShardAssignment): Record<string, string[]> => Object.fromEntries(assignment.shards.map((shard) => [shard.id, [...shard.scripts].sort()]));
const sorted = (lists: string[][]) => lists.map((list) => [...list].sort()).sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));

describe('shard plan: components', () => {
  it('shard plan: service bindings (either end), queues (producers, consumer, dead letters), KV, D1, R2 and Durable Objects bound from another script join scripts', () => {
    const account = snapshot({
      scripts: [
        worker('api', [{ type: 'service', name: 'AUTH', service: 'auth' }]),
        worker('auth'),
        worker('producer', [{ type: 'queue', name: 'Q', queue_name: 'jobs' }]),
        worker('consumer'),
        worker('dead-reader', [{ type: 'queue', name: 'DLQ', queue_name: 'jobs-dead' }]),
        worker('kv-a', [{ type: 'kv_namespace', name: 'KV', namespace_id: 'ns' }]),
        worker('kv-b', [{ type: 'kv_namespace', name: 'KV', namespace_id: 'ns' }]),
        worker('d1-a', [{ type: 'd1', name: 'DB', id: 'db' }]),
        worker('d1-b', [{ type: 'd1', name: 'DB', id: 'db' }]),
        worker('r2-a', [{ type: 'r2_bucket', name: 'B', bucket_name: 'files' }]),
        worker('r2-b', [{ type: 'r2_bucket', name: 'B', bucket_name: 'files' }]),
        { ...worker('do-host'), durableObjects: [{ className: 'Counter', storageId: 'storage-1', sqlite: true }] },
        worker('do-user', [{ type: 'durable_object_namespace', name: 'C', class_name: 'Counter', script_name: 'do-host' }]),
        worker('alone', [{ type: 'plain_text', name: 'MODE', text: 'x' }, { type: 'service', name: 'GONE', service: 'not-deployed' }]),
      ],
      queueConsumers: [{ queueName: 'jobs', script: 'consumer', settings: {}, deadLetterQueue: 'jobs-dead' }],
      kvNamespaces: ['ns', 'unbound'],
      d1Databases: ['db'],
      r2Buckets: ['files'],
    });
    const found = components(account);
    expect(sorted(found.map((component) => component.scripts))).toEqual(
      sorted([['api', 'auth'], ['producer', 'consumer', 'dead-reader'], ['kv-a', 'kv-b'], ['d1-a', 'd1-b'], ['r2-a', 'r2-b'], ['do-host', 'do-user'], ['alone'], []]),
    );
    expect(found.find((component) => component.scripts.length === 0)?.resources).toEqual(['kv:unbound']);
    expect(found.find((component) => component.scripts.includes('kv-a'))?.resources).toEqual(['kv:ns']);
    expect(found.find((component) => component.scripts.includes('do-host'))?.resources).toEqual(['do:storage-1']);
  });

  it('shard plan: a component weighs its version Workers', () => {
    const found = components(snapshot({ scripts: [worker('split', [], 2), worker('one')] }));
    expect(found.map((component) => component.weight)).toEqual([2, 1]);
  });

  it('shard plan: the startup check starts a version with its component only', () => {
    const account = snapshot({
      scripts: [worker('api', [{ type: 'service', name: 'AUTH', service: 'auth' }]), worker('auth'), worker('other')],
      routes: [
        { zoneName: 'example.com', pattern: 'example.com/api*', script: 'api' },
        { zoneName: 'example.com', pattern: 'example.com/other*', script: 'other' },
      ],
    });
    const part = componentSnapshot(account, 'auth');
    expect(part.scripts.map((candidate) => candidate.name)).toEqual(['api', 'auth']);
    expect(part.routes.map((route) => route.script)).toEqual(['api']);
  });
});

describe('shard plan: packing and stability', () => {
  const loners = (count: number) => Array.from({ length: count }, (_, index) => worker(`w${String(index).padStart(2, '0')}`));

  it('shard plan: components fill shards up to the cap; a bigger component is a shard alone; unbound resources stay home', () => {
    const big = [worker('big-0', [{ type: 'service', name: 'N', service: 'big-1' }]), worker('big-1', [{ type: 'service', name: 'N', service: 'big-2' }]), worker('big-2')];
    const plan = planShards(snapshot({ scripts: [...loners(5), ...big], kvNamespaces: ['ns'] }), undefined, 2);
    expect(scriptsOf(plan)).toEqual({ [HOME_SHARD]: [], s1: ['w00', 'w01'], s2: ['w02', 'w03'], s3: ['w04'], s4: ['big-0', 'big-1', 'big-2'] });
    expect(shardOfResource(plan, 'kv:ns')).toBe(HOME_SHARD);
  });

  it('shard plan: an apply keeps every script in its shard; a new script takes a shard with room; an empty shard goes', () => {
    const first = planShards(snapshot({ scripts: loners(5) }), undefined, 2);
    const account = snapshot({ scripts: [...loners(5).filter((candidate) => candidate.name !== 'w01'), worker('new')] });
    const second = planShards(account, first, 2);
    expect(scriptsOf(second)).toEqual({ [HOME_SHARD]: [], s1: ['new', 'w00'], s2: ['w02', 'w03'], s3: ['w04'] });
    // Removing one script of a full shard and deploying anew from scratch would pack differently; stability keeps it.
    expect(scriptsOf(planShards(snapshot({ scripts: loners(5).slice(2) }), second, 2))).toEqual({ [HOME_SHARD]: [], s2: ['w02', 'w03'], s3: ['w04'] });
  });

  it('shard plan: a binding that joins two components moves one to the other’s shard; unbinding splits them in place', () => {
    const first = planShards(snapshot({ scripts: loners(4) }), undefined, 2);
    expect(shardOfScript(first, 'w00')).toBe('s1');
    expect(shardOfScript(first, 'w03')).toBe('s2');
    const joined = snapshot({ scripts: [...loners(4).filter((candidate) => candidate.name !== 'w03'), worker('w03', [{ type: 'kv_namespace', name: 'KV', namespace_id: 'ns' }])] });
    const bound = [worker('w00', [{ type: 'kv_namespace', name: 'KV', namespace_id: 'ns' }]), ...joined.scripts.filter((candidate) => candidate.name !== 'w00')];
    const merged = planShards(snapshot({ scripts: bound, kvNamespaces: ['ns'] }), first, 4);
    expect(shardOfScript(merged, 'w00')).toBe(shardOfScript(merged, 'w03'));
    expect(shardOfResource(merged, 'kv:ns')).toBe(shardOfScript(merged, 'w00'));
    // w01 and w02 did not change component: they stay where they were.
    expect(shardOfScript(merged, 'w01')).toBe('s1');
    expect(shardOfScript(merged, 'w02')).toBe('s2');
    const split = planShards(snapshot({ scripts: loners(4), kvNamespaces: ['ns'] }), merged, 4);
    expect(scriptsOf(split)).toEqual(scriptsOf(merged));
    expect(shardOfResource(split, 'kv:ns')).toBe(HOME_SHARD);
  });

  it('shard plan: a merged component over the room of its shard moves to a shard with room', () => {
    const first = planShards(snapshot({ scripts: loners(3) }), undefined, 2);
    expect(scriptsOf(first)).toEqual({ [HOME_SHARD]: [], s1: ['w00', 'w01'], s2: ['w02'] });
    const account = snapshot({ scripts: [worker('w00', [{ type: 'service', name: 'N', service: 'w02' }]), worker('w01'), worker('w02')] });
    const merged = planShards(account, first, 2);
    // w00+w02 weigh 2: s1 keeps w01 (1) so has no room, s2 neither; a new shard takes them.
    expect(shardOfScript(merged, 'w01')).toBe('s1');
    expect(shardOfScript(merged, 'w00')).toBe(shardOfScript(merged, 'w02'));
    expect(shardOfScript(merged, 'w00')).toBe('s3');
  });
});

describe('shard plan: a shard’s part of the snapshot', () => {
  it('shard plan: a shard routes its scripts and whatever reaches no deployed Worker, and holds its resources', () => {
    const account = snapshot({
      scripts: [worker('a', [{ type: 'kv_namespace', name: 'KV', namespace_id: 'ns-a' }]), worker('b')],
      routes: [
        { zoneName: 'example.com', pattern: 'example.com/a*', script: 'a' },
        { zoneName: 'example.com', pattern: 'example.com/b*', script: 'b' },
        { zoneName: 'example.com', pattern: 'example.com/static*' },
        { zoneName: 'example.com', pattern: 'example.com/gone*', script: 'gone' },
      ],
      customDomains: [
        { hostname: 'a.example.com', script: 'a' },
        { hostname: 'b.example.com', script: 'b' },
      ],
      queueConsumers: [{ queueName: 'jobs', script: 'b', settings: {} }],
      kvNamespaces: ['ns-a', 'ns-home'],
      r2Buckets: ['files'],
      d1Databases: ['db'],
    });
    const plan = planShards(account, undefined, 1);
    const part = (script: string) => {
      const shard = plan.shards.find((candidate) => candidate.scripts.includes(script));
      return shardSnapshot(account, shard?.scripts ?? [], shard?.resources ?? []);
    };
    expect(part('a').routes.map((route) => route.pattern)).toEqual(['example.com/a*', 'example.com/static*', 'example.com/gone*']);
    expect(part('a').customDomains.map((domain) => domain.hostname)).toEqual(['a.example.com']);
    expect(part('a').kvNamespaces).toEqual(['ns-a']);
    expect(part('b').queueConsumers.map((consumer) => consumer.script)).toEqual(['b']);
    expect(part('b').kvNamespaces).toEqual([]);
    const home = plan.shards.find((shard) => shard.id === HOME_SHARD);
    const homePart = shardSnapshot(account, home?.scripts ?? [], home?.resources ?? []);
    expect(homePart).toMatchObject({ scripts: [], kvNamespaces: ['ns-home'], r2Buckets: ['files'], d1Databases: ['db'] });
  });
});
