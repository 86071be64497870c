import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudflareClient } from '../api/client.ts';
import { getSchedules, getVersion, listDeployments, listScripts } from '../api/cloudflare.ts';
import { cloudflareEnv, gitops } from './support/cli.ts';
import { dataPlaneGet, startTestEdge, type TestEdge } from './support/edge.ts';
import { createFixtureFleet, exampleServices, writeService, type FixtureService } from './support/fixture-fleet.ts';

let edge: TestEdge;
let api: CloudflareClient;

beforeAll(async () => {
  edge = await startTestEdge();
  api = new CloudflareClient(edge.endpoint);
});
afterAll(async () => {
  await edge?.cleanup();
});

/** Mutating calls the reconciler made since the log was cleared: `METHOD path`. */
function writes(): string[] {
  return edge.edge.faults
    .log()
    .filter((entry) => entry.method !== 'GET')
    .map((entry) => `${entry.method} ${entry.path}`);
}

async function deployedTags(script: string): Promise<string[]> {
  const [current] = await listDeployments(api, script);
  return Promise.all((current?.versions ?? []).map(async (entry) => `${(await getVersion(api, script, entry.version_id)).annotations?.['workers/tag']}@${entry.percentage}`));
}

async function setPackage(rootDir: string, name: string, change: (pkg: Record<string, unknown>) => void): Promise<void> {
  const file = join(rootDir, 'services', name, 'package.json');
  const pkg = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  change(pkg);
  await writeFile(file, JSON.stringify(pkg, null, 2));
}

describe('reconciler against the local edge: versions', () => {
  it('apply: from an empty account creates every service, its routes and triggers, binding targets first; a plan right after is empty', async () => {
    const rootDir = await createFixtureFleet(exampleServices('a'), 'owner = "owner-a"');
    const first = await gitops(rootDir, ['plan'], edge);
    expect(first.code).toBe(2);
    expect(first.out).toMatch(/a-users\s+1\.0\.0\s+create/);

    edge.edge.faults.clearLog();
    const unconfirmed = await gitops(rootDir, ['apply'], edge);
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.err).toContain('not a terminal: pass --yes');
    expect(writes()).toEqual([]);

    const applied = await gitops(rootDir, ['apply', '--yes'], edge);
    expect(applied.code, applied.all).toBe(0);
    const order = writes();
    expect(order.indexOf('PUT /accounts/' + edge.endpoint.accountId + '/workers/scripts/a-users')).toBeLessThan(
      order.indexOf('PUT /accounts/' + edge.endpoint.accountId + '/workers/scripts/a-orders'),
    );

    const scripts = await listScripts(api, 'owner-a');
    expect(scripts.map((script) => script.id).sort()).toEqual(['a-notifications', 'a-orders', 'a-users']);
    expect(await getSchedules(api, 'a-notifications')).toEqual(['*/5 * * * *']);
    const users = await dataPlaneGet(edge.edge, 'http://example.com/a/users');
    expect(users.json()).toMatchObject({ service: 'a-users', version: '1.0.0' });
    const viaBinding = await dataPlaneGet(edge.edge, 'http://example.com/a/orders/via-users');
    expect(viaBinding.json()).toMatchObject({ service: 'a-users' });

    const again = await gitops(rootDir, ['plan'], edge);
    expect(again.code, again.out).toBe(0);
    expect(again.out).toContain('No changes');
  });

  it('apply: uploads and deploys only the service whose version changed, and the plan says why', async () => {
    const services = exampleServices('b');
    const rootDir = await createFixtureFleet(services);
    expect((await gitops(rootDir, ['apply', '--yes'], edge)).code).toBe(0);
    const orders = services[1] as FixtureService;
    await writeService(rootDir, { ...orders, version: '1.1.0', message: 'orders v1.1' });

    const plan = await gitops(rootDir, ['plan'], edge);
    expect(plan.code).toBe(2);
    expect(plan.out).toMatch(/b-orders\s+1\.0\.0 → 1\.1\.0\s+update/);
    expect(plan.out).toMatch(/version 1\.0\.0 → 1\.1\.0; content sha256:[0-9a-f]{12}/);
    expect(plan.out).toMatch(/b-users\s+1\.0\.0\s+unchanged/);
    const drifted = await gitops(rootDir, ['status'], edge);
    expect(drifted.code).toBe(0);
    expect(drifted.out).toMatch(/│ b-orders\s+│ 1\.1\.0\s+│ 1\.0\.0\s+│ example\.com\/b\/orders\*\s+│ no: version 1\.0\.0 → 1\.1\.0/);
    expect(drifted.out).toContain('1 of 3 services differ from git');

    edge.edge.faults.clearLog();
    expect((await gitops(rootDir, ['apply', '--yes'], edge)).code).toBe(0);
    const changed = writes().filter((call) => !call.endsWith('/schedules'));
    expect(changed).toEqual([
      `POST /accounts/${edge.endpoint.accountId}/workers/scripts/b-orders/versions`,
      `POST /accounts/${edge.endpoint.accountId}/workers/scripts/b-orders/deployments`,
    ]);
    expect((await dataPlaneGet(edge.edge, 'http://example.com/b/orders')).json()).toMatchObject({ version: '1.1.0', message: 'orders v1.1' });
    expect((await gitops(rootDir, ['plan'], edge)).code).toBe(0);
    const status = await gitops(rootDir, ['status', '--json'], edge);
    expect(JSON.parse(status.out)).toEqual(
      expect.arrayContaining([{ service: 'b-orders', git: '1.1.0', deployed: '1.1.0', routes: ['example.com/b/orders*'], drifted: false, why: [] }]),
    );
  });

  it('plan: the same version with different content is an error asking for a bump on target cloudflare', async () => {
    const services = exampleServices('c').slice(0, 1);
    const rootDir = await createFixtureFleet(services);
    expect((await gitops(rootDir, ['apply', '--yes'], edge)).code).toBe(0);
    await writeService(rootDir, { ...(services[0] as FixtureService), message: 'edited without a bump' });

    edge.edge.faults.clearLog();
    const plan = await gitops(rootDir, ['plan', '--target', 'cloudflare'], edge, cloudflareEnv(edge));
    expect(plan.code).toBe(1);
    expect(plan.out).toMatch(/c-users: services\/c-users\/package\.json: version: version 1\.0\.0 is already uploaded with different content .*bump the version/);
    const apply = await gitops(rootDir, ['apply', '--target', 'cloudflare', '--yes'], edge, cloudflareEnv(edge));
    expect(apply.code).toBe(1);
    expect(writes()).toEqual([]);
  });

  it('apply (local only): an edit without a bump deploys under a prerelease tag derived from the content hash', async () => {
    const services = exampleServices('d').slice(0, 1);
    const rootDir = await createFixtureFleet(services);
    expect((await gitops(rootDir, ['apply', '--yes'], edge)).code).toBe(0);
    await writeService(rootDir, { ...(services[0] as FixtureService), message: 'edited without a bump' });

    const plan = await gitops(rootDir, ['plan'], edge);
    expect(plan.code).toBe(2);
    expect(plan.out).toMatch(/content changed without a version bump \(local-only rule: tag 1\.0\.0-local\.[0-9a-f]{8}\)/);
    expect((await gitops(rootDir, ['apply', '--yes'], edge)).code).toBe(0);
    expect(await deployedTags('d-users')).toEqual([expect.stringMatching(/^1\.0\.0-local\.[0-9a-f]{8}@100$/)]);
    expect((await dataPlaneGet(edge.edge, 'http://example.com/d/users')).json()).toMatchObject({ message: 'edited without a bump' });
    expect((await gitops(rootDir, ['plan'], edge)).code).toBe(0);
  });

  it('apply: rollback is a commit — an earlier uploaded version is deployed again without an upload', async () => {
    const services = exampleServices('e').slice(0, 1);
    const users = services[0] as FixtureService;
    const rootDir = await createFixtureFleet(services);
    expect((await gitops(rootDir, ['apply', '--yes'], edge)).code).toBe(0);
    await writeService(rootDir, { ...users, version: '1.1.0', message: 'new' });
    expect((await gitops(rootDir, ['apply', '--yes'], edge)).code).toBe(0);
    expect(await deployedTags('e-users')).toEqual(['1.1.0@100']);

    await writeService(rootDir, users); // git revert
    const plan = await gitops(rootDir, ['plan'], edge);
    expect(plan.code).toBe(2);
    expect(plan.out).toMatch(/e-users\s+1\.1\.0 → 1\.0\.0\s+deploy/);
    expect(plan.out).toMatch(/rollback to 1\.0\.0: uploaded before as version #1, no upload needed/);

    edge.edge.faults.clearLog();
    expect((await gitops(rootDir, ['apply', '--yes'], edge)).code).toBe(0);
    expect(writes().filter((call) => !call.endsWith('/schedules'))).toEqual([`POST /accounts/${edge.endpoint.accountId}/workers/scripts/e-users/deployments`]);
    expect(await deployedTags('e-users')).toEqual(['1.0.0@100']);
    expect((await dataPlaneGet(edge.edge, 'http://example.com/e/users')).json()).toMatchObject({ version: '1.0.0', message: 'hello' });
  });

  it('apply: a gradual rollout declared in git becomes a two-version deployment that splits traffic', async () => {
    const services = exampleServices('f').slice(0, 1);
    const users = services[0] as FixtureService;
    const rootDir = await createFixtureFleet(services);
    expect((await gitops(rootDir, ['apply', '--yes'], edge)).code).toBe(0);
    await writeService(rootDir, { ...users, version: '2.0.0', message: 'canary', edgeops: { rollout: { stable: '1.0.0', percentage: 30 } } });

    const plan = await gitops(rootDir, ['plan'], edge);
    expect(plan.out).toMatch(/gradual rollout: 2\.0\.0 30% \/ 1\.0\.0 70%/);
    expect((await gitops(rootDir, ['apply', '--yes'], edge)).code).toBe(0);
    expect((await deployedTags('f-users')).sort()).toEqual(['1.0.0@70', '2.0.0@30']);
    const seen = new Set<string>();
    for (let index = 0; index < 60 && seen.size < 2; index += 1) {
      seen.add(String((await dataPlaneGet(edge.edge, 'http://example.com/f/users')).json().version));
    }
    expect([...seen].sort()).toEqual(['1.0.0', '2.0.0']);
    expect((await gitops(rootDir, ['plan'], edge)).code).toBe(0);

    await setPackage(rootDir, 'f-users', (pkg) => delete pkg.edgeops); // finish the rollout
    const finish = await gitops(rootDir, ['apply', '--yes'], edge);
    expect(finish.code, finish.all).toBe(0);
    expect(await deployedTags('f-users')).toEqual(['2.0.0@100']);
  });
});
