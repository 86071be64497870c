import { describe, expect, it } from 'vitest';
import { compileDispatchTable, resolveDispatch } from '../src/dataplane/dispatch.ts';
import { buildDispatchTable } from '../src/dataplane/dispatch-table.ts';
import { CronScheduler } from '../../cloudflare/cron-scheduler.ts';
import { chooseVersion, parseVersionOverrides, pointForKey } from '../src/dataplane/version-split.ts';
import { ROUTER_WORKER_NAME, workersForSnapshot } from '../src/dataplane/worker-options.ts';
import { REQUEST_ID_ENTRY_MODULE } from '../src/dataplane/request-id-entry.ts';
import type { RequestTarget } from '../../cloudflare/route-match.ts';
import { echoWorker, script, snapshot, version } from './dataplane-fixtures.ts';

const split = [
  { id: 'a', percentage: 50 },
  { id: 'b', percentage: 50 },
];

describe('dataplane: version split', () => {
  it('dataplane: parses Cloudflare-Workers-Version-Overrides as an RFC 8941 dictionary of strings', () => {
    expect(parseVersionOverrides('my-worker="dc8dcd28-271b-4367-9840-6c244f84cb40"')).toEqual(new Map([['my-worker', 'dc8dcd28-271b-4367-9840-6c244f84cb40']]));
    expect(parseVersionOverrides('a="1", b="2";param=3, c=token')).toEqual(new Map([['a', '1'], ['b', '2']]));
    expect(parseVersionOverrides('not a dictionary')).toEqual(new Map());
  });

  it('dataplane: without key or override, the random draw falls on the percentages', () => {
    expect(chooseVersion(split, { script: 's', random: () => 0.49 }).id).toBe('a');
    expect(chooseVersion(split, { script: 's', random: () => 0.5 }).id).toBe('b');
    const tenNinety = [
      { id: 'new', percentage: 10 },
      { id: 'old', percentage: 90 },
    ];
    expect(chooseVersion(tenNinety, { script: 's', random: () => 0.09 }).id).toBe('new');
    expect(chooseVersion(tenNinety, { script: 's', random: () => 0.1 }).id).toBe('old');
  });

  it('dataplane: a version at 0% is never drawn but can be reached by an override', () => {
    const dark = [
      { id: 'dark', percentage: 0 },
      { id: 'live', percentage: 100 },
    ];
    for (const draw of [0, 0.3, 0.999]) expect(chooseVersion(dark, { script: 's', random: () => draw }).id).toBe('live');
    expect(chooseVersion(dark, { script: 's', overridesHeader: 's="dark"', random: () => 0 }).id).toBe('dark');
    expect(chooseVersion(dark, { script: 's', overridesHeader: 'other="dark"', random: () => 0 }).id).toBe('live');
  });

  it('dataplane: a version key maps to a fixed point, so the same key picks the same version whatever the draw', () => {
    for (const key of ['user-1', 'user-2', 'session-xyz']) {
      const point = pointForKey(key);
      expect(point).toBeGreaterThanOrEqual(0);
      expect(point).toBeLessThan(100);
      const picks = new Set([0, 0.5, 0.99].map((draw) => chooseVersion(split, { script: 's', versionKey: key, random: () => draw }).id));
      expect(picks.size).toBe(1);
    }
  });

  it('dataplane: raising the new version’s share never moves a key back to the old version (affinity)', () => {
    const keys = Array.from({ length: 200 }, (_, index) => `key-${index}`);
    let onNew = new Set<string>();
    for (const share of [10, 20, 50, 80, 100]) {
      const versions = [
        { id: 'new', percentage: share },
        { id: 'old', percentage: 100 - share },
      ];
      const now = new Set(keys.filter((key) => chooseVersion(versions, { script: 's', versionKey: key, random: Math.random }).id === 'new'));
      for (const key of onNew) expect(now.has(key)).toBe(true);
      onNew = now;
    }
    expect(onNew.size).toBe(keys.length);
  });
});

const target = (host: string, pathAndQuery = '/', scheme: 'http' | 'https' = 'https'): RequestTarget => ({ scheme, host, pathAndQuery });

describe('dataplane: dispatch', () => {
  const table = compileDispatchTable(
    buildDispatchTable(
      snapshot({
        scripts: [script('app', [version('v1', '')], { workersDev: true }), script('logger', [version('v1', '')]), script('hidden', [version('v1', '')])],
        routes: [
          { zoneName: 'example.com', pattern: 'app.example.com/log/*', script: 'logger' },
          { zoneName: 'example.com', pattern: 'app.example.com/raw/*' },
        ],
        customDomains: [{ hostname: 'App.example.com', script: 'app' }],
      }),
    ),
  );

  it('dataplane: a route on a custom domain’s host takes precedence over the domain', () => {
    expect(resolveDispatch(table, target('app.example.com', '/log/x'))).toMatchObject({ kind: 'script', script: 'logger', via: 'route' });
  });

  it('dataplane: the rest of a custom domain’s host goes to its Worker, the hostname compared case-insensitively', () => {
    expect(resolveDispatch(table, target('app.example.com', '/home'))).toMatchObject({ kind: 'script', script: 'app', via: 'custom-domain' });
  });

  it('dataplane: a negating route on a custom domain’s host leaves the request to the domain’s Worker (its origin)', () => {
    expect(resolveDispatch(table, target('app.example.com', '/raw/file'))).toMatchObject({ kind: 'script', script: 'app' });
  });

  it('dataplane: workers.dev hosts resolve only for scripts that enabled them', () => {
    expect(resolveDispatch(table, target('app.edgeops.workers.dev'))).toMatchObject({ kind: 'script', script: 'app', via: 'workers.dev' });
    expect(resolveDispatch(table, target('hidden.edgeops.workers.dev'))).toEqual({ kind: 'unmatched' });
    expect(resolveDispatch(table, target('edgeops.workers.dev'))).toEqual({ kind: 'unmatched' });
  });
});

describe('dataplane: Miniflare workers for a snapshot', () => {
  const fleet = snapshot({
    scripts: [
      script('single', [version('s1', echoWorker('single'))]),
      script('halves', [version('h1', echoWorker('h1'), { percentage: 40 }), version('h2', echoWorker('h2'), { percentage: 60 })]),
      script('client', [
        {
          ...version('c1', echoWorker('client'), {
            bindings: [
              { type: 'service', name: 'SINGLE', service: 'single' },
              { type: 'service', name: 'HALVES', service: 'halves' },
              { type: 'service', name: 'GONE', service: 'gone' },
              { type: 'plain_text', name: 'MODE', text: 'test' },
              { type: 'secret_text', name: 'TOKEN', text: 's3cret' },
              { type: 'json', name: 'LIMITS', json: { max: 3 } },
              { type: 'kv_namespace', name: 'KV', namespace_id: 'ns-1' },
              { type: 'd1', name: 'DB', id: 'db-1' },
              { type: 'r2_bucket', name: 'FILES', bucket_name: 'files' },
              { type: 'queue', name: 'Q', queue_name: 'jobs' },
            ],
          }),
          compatibilityDate: '2099-01-01',
          modules: [
            { name: 'index.js', type: 'esm', contents: new TextEncoder().encode(echoWorker('client')) },
            { name: 'index.js.map', type: 'source-map', contents: new Uint8Array() },
          ],
        },
      ]),
    ],
    queueConsumers: [{ queueName: 'jobs', script: 'halves', settings: { max_retries: 2 } }],
  });
  const workers = workersForSnapshot(fleet, 'export default {}');
  const byName = new Map(workers.map((worker) => [worker.name, worker]));

  it('dataplane: the router comes first, then one worker per version named <script>@<version>', () => {
    expect(workers[0]?.name).toBe(ROUTER_WORKER_NAME);
    expect([...byName.keys()]).toEqual(expect.arrayContaining(['single@s1', 'halves@h1', 'halves@h2', 'client@c1']));
  });

  it('dataplane: service bindings go straight to a single version, through an entry worker for a split or a missing script', () => {
    const client = byName.get('client@c1');
    expect(client?.serviceBindings).toEqual({ SINGLE: 'single@s1', HALVES: 'halves', GONE: 'gone' });
    expect(byName.has('halves')).toBe(true);
    expect(byName.has('gone')).toBe(true);
  });

  it('dataplane: upload-metadata bindings become Miniflare bindings by type', () => {
    const client = byName.get('client@c1');
    expect(client?.bindings).toEqual({ MODE: 'test', TOKEN: 's3cret', LIMITS: { max: 3 } });
    expect(client?.kvNamespaces).toEqual({ KV: 'ns-1' });
    expect(client?.d1Databases).toEqual({ DB: 'db-1' });
    expect(client?.r2Buckets).toEqual({ FILES: 'files' });
    expect(client?.queueProducers).toEqual({ Q: { queueName: 'jobs' } });
  });

  it('dataplane: a queue is consumed by the consuming script’s largest-share version', () => {
    expect(byName.get('halves@h2')?.queueConsumers).toEqual({ jobs: { maxRetries: 2 } });
    expect(byName.get('halves@h1')?.queueConsumers).toBeUndefined();
  });

  it('dataplane: a compatibility date newer than workerd supports is clamped, source maps are not modules', () => {
    const client = byName.get('client@c1');
    expect(client?.compatibilityDate).not.toBe('2099-01-01');
    const modules = client?.modules;
    // First the entry module that carries x-request-id through the version's service bindings (request-id-entry.ts).
    expect(Array.isArray(modules) ? modules.map((module: { path: string }) => module.path) : []).toEqual([`/edge-modules/${REQUEST_ID_ENTRY_MODULE}`, '/edge-modules/index.js']);
  });
});

describe('dataplane: cron triggers', () => {
  it('dataplane: schedules each deployed cron in UTC and fires them through scheduled()', async () => {
    const calls: string[] = [];
    const errors: string[] = [];
    const scheduler = new CronScheduler(
      async (scriptName, cron) => {
        calls.push(`${scriptName} ${cron}`);
      },
      (message) => errors.push(message),
    );
    try {
      scheduler.update(snapshot({ scripts: [script('reports', [version('r1', '')], { schedules: ['*/5 * * * *', '0 3 * * MON'] }), script('broken', [version('b1', '')], { schedules: ['61 * * * *'] })] }));
      const upcoming = scheduler.upcoming();
      expect(upcoming.map(({ script: name, cron }) => `${name} ${cron}`)).toEqual(['reports */5 * * * *', 'reports 0 3 * * MON']);
      const everyFive = upcoming[0]?.next;
      expect(everyFive && everyFive.getUTCMinutes() % 5).toBe(0);
      const monday = upcoming[1]?.next;
      expect(monday ? [monday.getUTCDay(), monday.getUTCHours(), monday.getUTCMinutes()] : []).toEqual([1, 3, 0]);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain('"61 * * * *" of "broken"');
      await scheduler.fireNow('reports');
      expect(calls.sort()).toEqual(['reports */5 * * * *', 'reports 0 3 * * MON']);
    } finally {
      scheduler.stop();
    }
    expect(scheduler.upcoming()).toEqual([]);
  });
});
