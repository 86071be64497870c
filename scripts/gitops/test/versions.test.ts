import { spawn } from 'node:child_process';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CloudflareClient } from '../api/client.ts';
import { getSchedules, getVersion, listDeployments, listScripts } from '../api/cloudflare.ts';
import { cloudflareEnv, gitops } from './support/cli.ts';
import { dataPlaneGet, withTestEdge, type TestEdge } from './support/edge.ts';
import { createFixtureFleet, exampleServices, removeService, writeService, type FixtureService } from '../synthetic/fleet.ts';
import { fromReconcilerPlan } from '../github/plan-input.ts';
import { renderPlanComment } from '../github/render-comment.ts';
import { planSchema } from '../plan/plan.ts';
import { REPO_ROOT } from '../../fleet/testing.ts';

let edge: TestEdge;
let api: CloudflareClient;

withTestEdge((started, startedApi) => {
  edge = started;
  api = startedApi;
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

/** A fleet of the example users service alone (names prefixed with `prefix`), applied to the edge at 1.0.0. */
async function usersApplied(prefix: string): Promise<{ rootDir: string; users: FixtureService }> {
  const users = exampleServices(prefix)[0] as FixtureService;
  const rootDir = await createFixtureFleet([users]);
  expect((await gitops(rootDir, ['apply', '--yes'], edge)).code).toBe(0);
  return { rootDir, users };
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
      expect.arrayContaining([expect.objectContaining({ service: 'b-orders', git: '1.1.0', deployed: '1.1.0', routes: ['example.com/b/orders*'], drifted: false, why: [] })]),
    );
  });

  it('plan: the same version with different content is an error asking for a bump on target cloudflare', async () => {
    const { rootDir, users } = await usersApplied('c');
    await writeService(rootDir, { ...users, message: 'edited without a bump' });

    edge.edge.faults.clearLog();
    const plan = await gitops(rootDir, ['plan', '--target', 'cloudflare'], edge, cloudflareEnv(edge));
    expect(plan.code).toBe(1);
    expect(plan.out).toMatch(/c-users: services\/c-users\/package\.json: version: version 1\.0\.0 is already uploaded with different content .*bump the version/);
    const apply = await gitops(rootDir, ['apply', '--target', 'cloudflare', '--yes'], edge, cloudflareEnv(edge));
    expect(apply.code).toBe(1);
    expect(writes()).toEqual([]);
  });

  it('apply (local only): an edit without a bump deploys under a prerelease tag derived from the content hash', async () => {
    const { rootDir, users } = await usersApplied('d');
    await writeService(rootDir, { ...users, message: 'edited without a bump' });

    const plan = await gitops(rootDir, ['plan'], edge);
    expect(plan.code).toBe(2);
    expect(plan.out).toMatch(/content changed without a version bump \(local-only rule: tag 1\.0\.0-local\.[0-9a-f]{8}\)/);
    expect((await gitops(rootDir, ['apply', '--yes'], edge)).code).toBe(0);
    expect(await deployedTags('d-users')).toEqual([expect.stringMatching(/^1\.0\.0-local\.[0-9a-f]{8}@100$/)]);
    expect((await dataPlaneGet(edge.edge, 'http://example.com/d/users')).json()).toMatchObject({ message: 'edited without a bump' });
    expect((await gitops(rootDir, ['plan'], edge)).code).toBe(0);
  });

  it('apply: rollback is a commit — an earlier uploaded version is deployed again without an upload', async () => {
    const { rootDir, users } = await usersApplied('e');
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
    const { rootDir, users } = await usersApplied('f');
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

describe('reconciler against the local edge: a user\'s first changes', () => {
  it('plan: no cron action for a service without crons on an account without any, in the plan, the PR comment and status', async () => {
    const { rootDir, users } = await usersApplied('g');
    await writeService(rootDir, { ...users, version: '1.1.0', message: 'bumped' });

    const plan = await gitops(rootDir, ['plan'], edge);
    expect(plan.code).toBe(2);
    expect(plan.out).toContain('upload version 1.1.0');
    expect(plan.out).not.toMatch(/cron/);
    const json = await gitops(rootDir, ['plan', '--json'], edge);
    const comment = renderPlanComment(fromReconcilerPlan(JSON.parse(json.out)));
    expect(comment).toContain('upload-version');
    expect(comment).not.toMatch(/put-schedules|cron/);
    const status = await gitops(rootDir, ['status', '--json'], edge);
    const rows = JSON.parse(status.out) as { service: string; why: string[] }[];
    expect(rows.find((row) => row.service === 'g-users')?.why.join('; ')).toMatch(/^version 1\.0\.0 → 1\.1\.0; content sha256:[0-9a-f]{12}; deploy 1\.1\.0/);
    expect(status.out).not.toMatch(/cron/);
  });

  it('plan: crons a service no longer declares are cleared', async () => {
    const services = exampleServices('h').slice(2);
    const notifications = services[0] as FixtureService;
    const rootDir = await createFixtureFleet(services);
    expect((await gitops(rootDir, ['apply', '--yes'], edge)).code).toBe(0);
    await writeService(rootDir, { ...notifications, version: '1.1.0', crons: [] });
    const plan = await gitops(rootDir, ['plan'], edge);
    expect(plan.out).toMatch(/~ clear cron triggers\n\s+cron triggers \*\/5 \* \* \* \* are no longer declared/);
    expect((await gitops(rootDir, ['apply', '--yes'], edge)).code).toBe(0);
    expect(await getSchedules(api, 'h-notifications')).toEqual([]);
  });

  it('plan --target cloudflare: with X-local.<hash> deployed and X uploaded earlier with other content, asks for a bump instead of uploading X', async () => {
    const { rootDir, users } = await usersApplied('i');
    await writeService(rootDir, { ...users, message: 'edited without a bump' });
    expect((await gitops(rootDir, ['apply', '--yes'], edge)).code).toBe(0);
    expect(await deployedTags('i-users')).toEqual([expect.stringMatching(/^1\.0\.0-local\.[0-9a-f]{8}@100$/)]);

    edge.edge.faults.clearLog();
    const plan = await gitops(rootDir, ['plan', '--target', 'cloudflare'], edge, cloudflareEnv(edge));
    expect(plan.code, plan.out).toBe(1);
    expect(plan.out).toMatch(/i-users: services\/i-users\/package\.json: version: version 1\.0\.0 is already uploaded with different content .*bump the version/);
    expect(plan.out).not.toContain('upload version 1.0.0');
    expect(writes()).toEqual([]);
  });

  it('apply: aborting a rollout as the docs say (version back to the stable one, rollout kept) serves the stable version at 100%', async () => {
    const services = exampleServices('j').slice(0, 1);
    const users = services[0] as FixtureService;
    const rollout = { rollout: { stable: '1.0.0', percentage: 30 } };
    const rootDir = await createFixtureFleet(services);
    expect((await gitops(rootDir, ['apply', '--yes'], edge)).code).toBe(0);
    await writeService(rootDir, { ...users, version: '2.0.0', message: 'canary', edgeops: rollout });
    expect((await gitops(rootDir, ['apply', '--yes'], edge)).code).toBe(0);
    expect((await deployedTags('j-users')).sort()).toEqual(['1.0.0@70', '2.0.0@30']);

    await setPackage(rootDir, 'j-users', (pkg) => (pkg.version = '1.0.0')); // the abort: the canary's code is still in git
    for (const target of ['local', 'cloudflare'] as const) {
      const plan = await gitops(rootDir, ['plan', '--target', target], edge, cloudflareEnv(edge));
      expect(plan.code, plan.out).toBe(2);
      expect(plan.out).toMatch(/> deploy 1\.0\.0 100%\n\s+rollout aborted: stable 1\.0\.0 back to 100% \(serving 2\.0\.0 30% \/ 1\.0\.0 70%\), as uploaded before, no upload/);
      expect(plan.out).not.toMatch(/upload version/);
    }
    edge.edge.faults.clearLog();
    const applied = await gitops(rootDir, ['apply', '--target', 'cloudflare', '--yes'], edge, cloudflareEnv(edge));
    expect(applied.code, applied.all).toBe(0);
    expect(writes()).toEqual([`POST /accounts/${edge.endpoint.accountId}/workers/scripts/j-users/deployments`]);
    expect(await deployedTags('j-users')).toEqual(['1.0.0@100']);
    expect((await dataPlaneGet(edge.edge, 'http://example.com/j/users')).json()).toMatchObject({ version: '1.0.0', message: 'hello' });
    expect((await gitops(rootDir, ['plan', '--target', 'cloudflare'], edge, cloudflareEnv(edge))).code).toBe(0);

    await setPackage(rootDir, 'j-users', (pkg) => delete pkg.edgeops); // dropping the key without reverting the code
    const refused = await gitops(rootDir, ['plan', '--target', 'cloudflare'], edge, cloudflareEnv(edge));
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('(aborting a gradual rollout? keep "edgeops.rollout" with "stable" set to this version, or `git revert` the commit that started it)');
  });

  it('npm run -s plan -- --json: stdout is exactly the plan JSON (as docs/gitops.md shows it)', async () => {
    const rootDir = await createFixtureFleet(exampleServices('r').slice(0, 1));
    await mkdir(join(rootDir, '.edge'));
    await copyFile(edge.endpointFile, join(rootDir, '.edge', 'endpoint.json'));
    const { stdout, code } = await new Promise<{ stdout: string; code: number | null }>((resolve, reject) => {
      const child = spawn('npm', ['run', '-s', 'plan', '--', '--json', '--root', rootDir], { cwd: REPO_ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (exit) => resolve({ stdout: out, code: exit }));
    });
    expect(code).toBe(2);
    expect(planSchema.parse(JSON.parse(stdout)).services.map((service) => service.service)).toEqual(['r-users']);
  });

  it('plan: a service deleted from git is reported as an orphan (exit 2) in the plan, the PR comment and status; only prune removes it', async () => {
    const services = exampleServices('q').slice(0, 2);
    const rootDir = await createFixtureFleet(services);
    expect((await gitops(rootDir, ['apply', '--yes'], edge)).code).toBe(0);
    await removeService(rootDir, 'q-orders');

    const plan = await gitops(rootDir, ['plan'], edge);
    expect(plan.code, plan.out).toBe(2);
    expect(plan.out).toMatch(/q-orders\s+1\.0\.0 \(orphan: not in git\)\s+delete/);
    expect(plan.out).toMatch(/- delete script\n\s+service is no longer declared in git \(not applied: pass --prune/);
    expect(plan.out).toContain('not applied without --prune (orphan git no longer declares: q-orders)');
    const comment = renderPlanComment(fromReconcilerPlan(JSON.parse((await gitops(rootDir, ['plan', '--json'], edge)).out)));
    expect(comment).toContain('| - delete-script | `script q-orders` | service is no longer declared in git *(not applied: prune is off)* |');
    expect(comment).toContain('**Orphans:** 1 unchanged. 1 removal shown but not applied (prune is off).');
    const status = await gitops(rootDir, ['status'], edge);
    expect(status.out).toMatch(/│ q-orders\s+│ \(not in git\)\s+│ 1\.0\.0\s+│ [^│]+│ no: orphan: a managed script git no longer declares; removed only with --prune/);
    expect(status.out).toContain('1 of 2 services differ from git');

    expect((await gitops(rootDir, ['apply', '--yes', '--prune'], edge)).code).toBe(0);
    expect((await listScripts(api)).map((script) => script.id)).not.toContain('q-orders');
    expect((await gitops(rootDir, ['plan'], edge)).code).toBe(0);
  });
});
