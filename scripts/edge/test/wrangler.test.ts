/**
 * Real wrangler against the edge through CLOUDFLARE_API_BASE_URL, the same scenarios for each
 * client (support/wrangler-clients.ts: the pinned 4.86 on Node 20, the newest 4.x on Node 22):
 * each command is followed by requests to the data plane proving its effect. Wrangler spawns
 * take about two seconds each, so the lifecycle runs as ordered steps sharing one edge.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdge, type Edge, type RequestLogEntry } from '../src/index.ts';
import { ApiClient, validator } from './support/api-client.ts';
import { requestDataPlane } from './support/data-plane.ts';
import { runWrangler, type WranglerResult } from './support/wrangler.ts';
import { WRANGLER_CLIENTS, type WranglerClient } from './support/wrangler-clients.ts';
import { kvNamespaceTitle } from '../../cloudflare/resource-names.ts';

/** A Worker's wrangler.toml: `name`, `src/index.js` as its entry, the compatibility date every test Worker uses, then `rest`. */
function workerToml(name: string, rest: string): string {
  return `name = "${name}"\nmain = "src/index.js"\ncompatibility_date = "2024-09-23"\n${rest}`;
}

describe.each(WRANGLER_CLIENTS)('$label against the edge', (client: WranglerClient) => {
  let edge: Edge;
  let root: string;
  let api: ApiClient;
  /** Every request wrangler made (the log is cleared once, so earlier entries are kept here). */
  const wranglerResponses: RequestLogEntry[] = [];

  const FIXTURE_TOML = workerToml(
    'fixture',
    `routes = [
  { pattern = "fixture.example.com/*", zone_name = "example.com" },
  "example.com/fixture*",
]

[vars]
GREETING = "hello from"
`,
  );

  function fixtureSource(release: string): string {
    return `export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === '/secret') return new Response(env[url.searchParams.get('name')] ?? '(no secret)');
    return new Response(\`\${env.GREETING} ${release}\`, { headers: { 'x-release': '${release}' } });
  },
};
`;
  }

  async function writeWorker(directory: string, toml: string, source: string): Promise<void> {
    await mkdir(join(directory, 'src'), { recursive: true });
    await writeFile(join(directory, 'wrangler.toml'), toml);
    await writeFile(join(directory, 'src', 'index.js'), source);
  }

  /** Writes Worker `name` into its own folder under the test's root (see {@link workerToml}) and returns the folder. */
  async function writeNamedWorker(name: string, toml: string, source: string): Promise<string> {
    const directory = join(root, name);
    await writeWorker(directory, workerToml(name, toml), source);
    return directory;
  }

  async function wrangler(directory: string, args: string[], input?: string): Promise<WranglerResult> {
    return runWrangler(args, { cwd: directory, home: join(root, 'home'), target: { apiUrl: edge.apiUrl, token: edge.token, accountId: edge.accountId }, client, ...(input === undefined ? {} : { input }) });
  }

  function expectSuccess(result: WranglerResult): void {
    if (result.code !== 0) throw new Error(`wrangler exited with ${result.code}:\n${result.output}`);
  }

  async function bodyAt(host: string, path = '/'): Promise<string> {
    return (await requestDataPlane(edge.url, host, path)).body;
  }

  async function versionIds(script: string): Promise<string[]> {
    const { items } = await api.ok<{ items: { id: string }[] }>('GET', `/accounts/{a}/workers/scripts/${script}/versions`);
    return items.map((item) => item.id);
  }

  beforeAll(async () => {
    await client.prepare();
    root = await mkdtemp(join(tmpdir(), 'edge-wrangler-'));
    edge = await startEdge({ stateDir: join(root, 'state'), apiPort: 0, dataPort: 0, zones: ['example.com'] });
    api = new ApiClient(edge.apiUrl, edge.token, edge.accountId);
    edge.faults.captureResponses(true);
  });

  afterAll(async () => {
    await edge?.stop();
    await rm(root, { recursive: true, force: true });
  });

  describe('scenarios', () => {
    const fixture = () => join(root, 'fixture');

    it('wrangler deploy: creates a new Worker with its routes, and the data plane serves it', async () => {
      await writeWorker(fixture(), FIXTURE_TOML, fixtureSource('v1'));
      const result = await wrangler(fixture(), ['deploy']);
      expectSuccess(result);
      expect(result.output).toContain('fixture.example.com/*');
      expect(await bodyAt('fixture.example.com')).toBe('hello from v1');
      expect(await bodyAt('example.com', '/fixture/page?q=1')).toBe('hello from v1');
      expect((await requestDataPlane(edge.url, 'example.com', '/other')).status).toBe(404);
      expect(edge.faults.log().filter((entry) => entry.status === 404 && entry.path.includes('/routes'))).toEqual([]);
      wranglerResponses.push(...edge.faults.log());
    });

    it('wrangler deploy: updates an existing Worker through the versions API', async () => {
      await writeWorker(fixture(), FIXTURE_TOML, fixtureSource('v2'));
      edge.faults.clearLog();
      expectSuccess(await wrangler(fixture(), ['deploy']));
      const log = edge.faults.log();
      wranglerResponses.push(...log);
      edge.faults.clearLog();
      expect(await bodyAt('fixture.example.com')).toBe('hello from v2');
      const calls = log.map((entry) => `${entry.method} ${entry.path}${entry.query}`);
      expect(calls).toContain(`POST /accounts/${edge.accountId}/workers/scripts/fixture/versions?bindings_inherit=strict`);
      expect(calls).toContain(`PUT /accounts/${edge.accountId}/workers/scripts/fixture/routes`);
      expect(await versionIds('fixture')).toHaveLength(2);
    });

    it('wrangler versions upload: stores a version with its tag and message without serving it', async () => {
      await writeWorker(fixture(), FIXTURE_TOML, fixtureSource('v3'));
      expectSuccess(await wrangler(fixture(), ['versions', 'upload', '--tag', 'v3', '--message', 'third release']));
      expect(await bodyAt('fixture.example.com')).toBe('hello from v2');
      const [newest] = await versionIds('fixture');
      const version = await api.ok<{ number: number; annotations: Record<string, string> }>('GET', `/accounts/{a}/workers/scripts/fixture/versions/${newest}`);
      expect(version.number).toBe(3);
      expect(version.annotations).toMatchObject({ 'workers/tag': 'v3', 'workers/message': 'third release' });
    });

    it('wrangler versions deploy: splits traffic 50/50 between two versions', async () => {
      const [v3, v2] = await versionIds('fixture');
      expectSuccess(await wrangler(fixture(), ['versions', 'deploy', `${v2}@50%`, `${v3}@50%`, '--yes', '--message', 'canary']));
      const seen = new Set<string>();
      for (let attempt = 0; attempt < 80 && seen.size < 2; attempt += 1) seen.add(await bodyAt('fixture.example.com', `/?attempt=${attempt}`));
      expect([...seen].sort()).toEqual(['hello from v2', 'hello from v3']);
    });

    it('wrangler deployments list: shows the deployments newest first with their shares', async () => {
      const [v3, v2] = await versionIds('fixture');
      const result = await wrangler(fixture(), ['deployments', 'list']);
      expectSuccess(result);
      expect(result.stdout).toContain(`(50%) ${v2}`);
      expect(result.stdout).toContain(`(50%) ${v3}`);
      expect(result.stdout).toContain('canary');
      const { deployments } = await api.ok<{ deployments: unknown[] }>('GET', '/accounts/{a}/workers/scripts/fixture/deployments');
      expect(deployments).toHaveLength(3);
    });

    it('wrangler rollback: returns to the last version that served all traffic', async () => {
      const [, v2] = await versionIds('fixture');
      const result = await wrangler(fixture(), ['rollback', '--yes', '--message', 'back']);
      expectSuccess(result);
      expect(result.output).toContain(`Worker Version ${v2} has been deployed to 100% of traffic`);
      for (let attempt = 0; attempt < 10; attempt += 1) expect(await bodyAt('fixture.example.com', `/?attempt=${attempt}`)).toBe('hello from v2');
      const { deployments } = await api.ok<{ deployments: { annotations: Record<string, string> }[] }>('GET', '/accounts/{a}/workers/scripts/fixture/deployments');
      expect(deployments[0]?.annotations).toMatchObject({ 'workers/message': 'back', 'workers/triggered_by': 'rollback' });
    });

    it('wrangler secret put / list: a new version with the secret serves at once, shown as "Secret Change"; list shows names only', async () => {
      const put = await wrangler(fixture(), ['secret', 'put', 'API_TOKEN'], 's3cr3t-value\n');
      expectSuccess(put);
      expect(put.output).not.toContain('s3cr3t-value');
      expect(await bodyAt('fixture.example.com', '/secret?name=API_TOKEN')).toBe('s3cr3t-value');
      expect(await bodyAt('fixture.example.com')).toBe('hello from v2');
      const listed = await wrangler(fixture(), ['secret', 'list', '--format', 'json']);
      expectSuccess(listed);
      expect(JSON.parse(listed.stdout.slice(listed.stdout.indexOf('[')))).toEqual([{ name: 'API_TOKEN', type: 'secret_text' }]);
      const deployments = await wrangler(fixture(), ['deployments', 'list']);
      expectSuccess(deployments);
      expect(deployments.stdout).toContain('Secret Change');
      expect(deployments.stdout).not.toContain('s3cr3t-value');
    });

    it('wrangler versions secret put: makes a version with the secret that the serving version does not see until it is deployed', async () => {
      const before = await versionIds('fixture');
      expectSuccess(await wrangler(fixture(), ['versions', 'secret', 'put', 'STAGED'], 'staged-value\n'));
      const [staged] = await versionIds('fixture');
      expect(before).not.toContain(staged);
      expect(await bodyAt('fixture.example.com', '/secret?name=STAGED')).toBe('(no secret)');
      expectSuccess(await wrangler(fixture(), ['versions', 'deploy', `${staged}@100%`, '--yes']));
      expect(await bodyAt('fixture.example.com', '/secret?name=STAGED')).toBe('staged-value');
      expect(await bodyAt('fixture.example.com', '/secret?name=API_TOKEN')).toBe('s3cr3t-value');
    });

    it('wrangler secret delete: a new version without the secret serves at once', async () => {
      expectSuccess(await wrangler(fixture(), ['secret', 'delete', 'API_TOKEN']));
      expect(await bodyAt('fixture.example.com', '/secret?name=API_TOKEN')).toBe('(no secret)');
      expect(await bodyAt('fixture.example.com', '/secret?name=STAGED')).toBe('staged-value');
      expect(await bodyAt('fixture.example.com')).toBe('hello from v2');
    });

    it('wrangler triggers deploy: applies the routes of the configuration without uploading code', async () => {
      const before = await versionIds('fixture');
      await writeWorker(fixture(), FIXTURE_TOML.replace('"example.com/fixture*",', '"example.com/fixture*",\n  "example.com/extra*",'), fixtureSource('unused'));
      expectSuccess(await wrangler(fixture(), ['triggers', 'deploy']));
      expect(await versionIds('fixture')).toEqual(before);
      expect(await bodyAt('example.com', '/extra/page')).toBe('hello from v2');
      const routes = await api.ok<{ pattern: string }[]>('GET', '/accounts/{a}/workers/scripts/fixture/routes');
      expect(routes.map((route) => route.pattern).sort()).toEqual(['example.com/extra*', 'example.com/fixture*', 'fixture.example.com/*']);
    });

    it('wrangler deploy: refuses routes already assigned to another Worker', async () => {
      const other = join(root, 'other');
      await writeWorker(other, FIXTURE_TOML.replace('name = "fixture"', 'name = "other"'), fixtureSource('intruder'));
      const result = await wrangler(other, ['deploy']);
      expect(result.code).not.toBe(0);
      expect(result.output).toMatch(/already assigned to (another worker|routes)/i);
      expect(await bodyAt('fixture.example.com')).toBe('hello from v2');
    });

    it('wrangler delete: removes the Worker and the data plane stops serving it', async () => {
      expectSuccess(await wrangler(fixture(), ['delete']));
      expect((await requestDataPlane(edge.url, 'fixture.example.com', '/')).status).toBe(404);
      const lookup = await api.call('GET', '/accounts/{a}/workers/services/fixture');
      expect(lookup.body.errors[0]?.code).toBe(10007);
    });

    it('wrangler deploy: a Worker with a custom domain, queue producer and consumer, a cron trigger and KV runs them', async () => {
      const queued = await writeNamedWorker(
        'queued',
        `routes = [ "jobs.example.com/*", { pattern = "jobs-admin.example.com", custom_domain = true } ]

[triggers]
crons = ["*/5 * * * *"]

[[kv_namespaces]]
binding = "STATE"
id = "0f2ac74b498b48028cb68387c421e279"

[[queues.producers]]
queue = "jobs"
binding = "JOBS"

[[queues.consumers]]
queue = "jobs"
max_batch_size = 1
max_batch_timeout = 1
`,
        `export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === '/send') { await env.JOBS.send({ job: url.searchParams.get('job') }); return new Response('sent'); }
    return new Response(JSON.stringify({ cron: await env.STATE.get('cron'), job: await env.STATE.get('job') }));
  },
  async scheduled(controller, env) { await env.STATE.put('cron', controller.cron); },
  async queue(batch, env) { for (const message of batch.messages) await env.STATE.put('job', message.body.job); },
};
`,
      );
      expectSuccess(await wrangler(queued, ['queues', 'create', 'jobs']));
      const deployed = await wrangler(queued, ['deploy']);
      expectSuccess(deployed);
      expect(deployed.output).toContain('Consumer for jobs');
      expect(deployed.output).toContain('jobs-admin.example.com (custom domain)');
      expect(await api.ok<{ hostname: string; service: string }[]>('GET', '/accounts/{a}/workers/domains?service=queued')).toMatchObject([{ hostname: 'jobs-admin.example.com', service: 'queued' }]);
      expect(JSON.parse(await bodyAt('jobs-admin.example.com'))).toEqual({ cron: null, job: null });
      const [queue] = await api.ok<{ consumers: { script: string }[] }[]>('GET', '/accounts/{a}/queues?name=jobs');
      expect(queue?.consumers.map((consumer) => consumer.script)).toEqual(['queued']);
      expect((await api.ok<{ schedules: { cron: string }[] }>('GET', '/accounts/{a}/workers/scripts/queued/schedules')).schedules.map((schedule) => schedule.cron)).toEqual(['*/5 * * * *']);

      await edge.dataPlane.scheduled('queued', '*/5 * * * *');
      expect(JSON.parse(await bodyAt('jobs.example.com'))).toMatchObject({ cron: '*/5 * * * *' });
      expect(await bodyAt('jobs.example.com', '/send?job=42')).toBe('sent');
      let state: { job: string | null } = { job: null };
      for (let attempt = 0; attempt < 50 && state.job === null; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        state = JSON.parse(await bodyAt('jobs.example.com')) as { job: string | null };
      }
      expect(state.job).toBe('42');
    });

    it('wrangler deploy: provisions a KV namespace and a D1 database for bindings without ids, named as edgeops names them; a redeploy reuses them', async () => {
      const stash = await writeNamedWorker(
        'stash',
        `routes = [ { pattern = "stash.example.com/*", zone_name = "example.com" } ]

[[kv_namespaces]]
binding = "STASH_DATA"

[[d1_databases]]
binding = "DB"
database_name = "stash-db"
`,
        `export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    await env.DB.exec('CREATE TABLE IF NOT EXISTS items (body TEXT)');
    if (url.pathname === '/put') {
      await env.STASH_DATA.put('item', url.searchParams.get('v'));
      await env.DB.prepare('INSERT INTO items (body) VALUES (?)').bind(url.searchParams.get('v')).run();
      return new Response('stored');
    }
    const row = await env.DB.prepare('SELECT COUNT(*) AS n FROM items').first();
    return Response.json({ kv: await env.STASH_DATA.get('item'), rows: row.n });
  },
};
`,
      );
      const first = await wrangler(stash, ['deploy']);
      expectSuccess(first);
      const title = kvNamespaceTitle('stash', 'STASH_DATA');
      expect(title).toBe('stash-stash-data');
      expect(first.output).toContain(`Creating new KV Namespace "${title}"`);
      const namespaces = (await api.ok<{ id: string; title: string }[]>('GET', '/accounts/{a}/storage/kv/namespaces?per_page=100')).filter((namespace) => namespace.title === title);
      expect(namespaces).toHaveLength(1);
      expect(await api.ok<{ name: string }>('GET', '/accounts/{a}/d1/database/stash-db')).toMatchObject({ name: 'stash-db' });
      expect(await bodyAt('stash.example.com', '/put?v=kept')).toBe('stored');
      expect(JSON.parse(await bodyAt('stash.example.com', '/get'))).toEqual({ kv: 'kept', rows: 1 });

      expectSuccess(await wrangler(stash, ['deploy']));
      expect((await api.ok<{ title: string }[]>('GET', '/accounts/{a}/storage/kv/namespaces?per_page=100')).filter((namespace) => namespace.title === title)).toHaveLength(1);
      expect((await api.ok<{ name: string }[]>('GET', '/accounts/{a}/d1/database?name=stash-db'))).toHaveLength(1);
      expect(JSON.parse(await bodyAt('stash.example.com', '/get'))).toEqual({ kv: 'kept', rows: 1 });
    });

    it('wrangler whoami: names the edge user and its one account', async () => {
      const result = await wrangler(root, ['whoami']);
      expectSuccess(result);
      expect(result.output).toContain('edge@edgeops.local');
      expect(result.output).toContain(edge.accountId);
    });

    // One Worker for the next two steps: deployed once, then a preview upload and a failing deploy.
    const halfway = () => join(root, 'halfway');
    const HALFWAY_TOML = workerToml('halfway', `routes = [{ pattern = "halfway.example.com/*", zone_name = "example.com" }]\n\n[vars]\nGREETING = "hello from"\n`);

    it('wrangler versions upload --preview-alias: keeps the alias on the version and prints no preview URL, as for an account without previews', async () => {
      await writeWorker(halfway(), HALFWAY_TOML, fixtureSource('h1'));
      expectSuccess(await wrangler(halfway(), ['deploy']));
      await writeWorker(halfway(), HALFWAY_TOML, fixtureSource('p2'));
      edge.faults.clearLog();
      const result = await wrangler(halfway(), ['versions', 'upload', '--preview-alias', 'feature-x', '--tag', 'p2']);
      expectSuccess(result);
      const log = edge.faults.log();
      wranglerResponses.push(...log);
      // The version upload answers `metadata.has_preview: false`, so wrangler asks for no preview URL
      // (packages/deploy-helpers/src/deploy/versions-upload.ts in cloudflare/workers-sdk).
      expect(result.output).not.toContain('Preview URL');
      expect(log.filter((entry) => entry.status >= 400)).toEqual([]);
      const [newest] = await versionIds('halfway');
      const version = await api.ok<{ annotations: Record<string, string> }>('GET', `/accounts/{a}/workers/scripts/halfway/versions/${newest}`);
      expect(version.annotations).toMatchObject({ 'workers/alias': 'feature-x', 'workers/tag': 'p2' });
      expect(await bodyAt('halfway.example.com')).toBe('hello from h1');
    });

    it('wrangler deploy whose deployment step fails: the uploaded version stays, undeployed, as on Cloudflare; the previous one keeps serving', async () => {
      const before = await versionIds('halfway');
      const { deployments: [serving] } = await api.ok<{ deployments: { versions: { version_id: string; percentage: number }[] }[] }>('GET', '/accounts/{a}/workers/scripts/halfway/deployments');
      // A deploy of an existing Worker is two calls: POST …/versions, then POST …/deployments. The second fails.
      await writeWorker(halfway(), HALFWAY_TOML, fixtureSource('h2'));
      edge.faults.add({ method: 'POST', path: '/accounts/*/workers/scripts/halfway/deployments', action: { kind: 'status', status: 400, code: 10021, message: 'deployment refused (injected by the test)' } });
      const failed = await wrangler(halfway(), ['deploy']);
      edge.faults.clear();
      wranglerResponses.push(...edge.faults.log().filter((entry) => entry.fault === undefined));
      edge.faults.clearLog();
      expect(failed.code, failed.output).not.toBe(0);
      expect(failed.output).toContain('deployment refused (injected by the test)');
      const [uploaded, ...older] = await versionIds('halfway');
      expect(older).toEqual(before);
      expect(before).not.toContain(uploaded);
      const { deployments } = await api.ok<{ deployments: { versions: { version_id: string; percentage: number }[] }[] }>('GET', '/accounts/{a}/workers/scripts/halfway/deployments');
      expect(deployments[0]).toEqual(serving);
      expect(deployments[0]?.versions.map((entry) => entry.version_id)).not.toContain(uploaded);
      expect(await bodyAt('halfway.example.com')).toBe('hello from h1');
    });

    it('every response wrangler received matches the extract, BEHAVIOUR.md or the envelope', () => {
      const entries = [...wranglerResponses, ...edge.faults.log()].filter((entry) => entry.response !== undefined && (entry.path.startsWith('/accounts') || entry.path.startsWith('/zones')));
      const results = entries.map((entry) => validator.validate(entry.method, `${entry.path}${entry.query}`, entry.status, entry.response));
      expect(results.length).toBeGreaterThan(30);
      expect(results.filter((result) => result.errors.length > 0)).toEqual([]);
      const bySource = new Set(results.map((result) => result.source));
      expect(bySource.has('openapi')).toBe(true);
      expect(bySource.has('notes')).toBe(true);
    });
  });
});
