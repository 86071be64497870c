import { spawn } from 'node:child_process';
import { copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../fleet/testing.ts';
import { gitops } from './support/cli.ts';
import { dataPlaneGet, startTestEdge, type TestEdge } from './support/edge.ts';
import { createFixtureFleet, exampleServices } from '../synthetic/fleet.ts';
import { acquireLock } from '../apply/lock.ts';
import { workflowCheckout } from '../github/test/support/workflow-run.ts';

let edge: TestEdge;

beforeAll(async () => {
  edge = await startTestEdge();
});
afterAll(async () => {
  await edge?.cleanup();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('reconciler against the local edge: faults', () => {
  it('faults: apply retries 429 with retry-after, 5xx and dropped connections with bounded backoff, and converges', async () => {
    const rootDir = await createFixtureFleet(exampleServices('k'));
    const { faults } = edge.edge;
    faults.clearLog();
    faults.add({ method: 'PUT', path: '/accounts/*/workers/scripts/k-users', times: 2, action: { kind: 'rate-limit', retryAfterSeconds: 1 } });
    faults.add({ method: 'PUT', path: '/accounts/*/workers/scripts/k-orders', times: 2, action: { kind: 'status', status: 503 } });
    faults.add({ method: 'POST', path: '/zones/*/workers/routes', times: 2, action: { kind: 'drop' } });
    faults.add({ method: 'GET', path: '/accounts/*/workers/scripts', times: 1, action: { kind: 'status', status: 502 } });
    const started = Date.now();
    const applied = await gitops(rootDir, ['apply', '--yes'], edge);
    expect(applied.code, applied.all).toBe(0);
    expect(Date.now() - started, 'retry-after of 1 s honoured twice').toBeGreaterThanOrEqual(2_000);
    const disturbed = faults.log().filter((entry) => entry.fault);
    expect(disturbed.map((entry) => entry.fault).sort()).toEqual(['drop', 'drop', 'rate-limit', 'rate-limit', 'status', 'status', 'status']);
    faults.clear();
    expect((await gitops(rootDir, ['plan'], edge)).code).toBe(0);
    expect((await dataPlaneGet(edge.edge, 'http://example.com/k/users')).json()).toMatchObject({ service: 'k-users' });
  });

  it('faults: a failure stops apply at the end of its wave, and rerunning converges', async () => {
    const rootDir = await createFixtureFleet(exampleServices('l'));
    edge.edge.faults.add({ method: 'PUT', path: '/accounts/*/workers/scripts/l-users', action: { kind: 'status', status: 500 } });
    const failed = await gitops(rootDir, ['apply', '--yes'], edge);
    edge.edge.faults.clear();
    expect(failed.code).toBe(1);
    expect(failed.out).toMatch(/Apply failed: 1 failed, 1 done, \d+ not run/);
    expect(failed.out).toMatch(/l-orders.*create script, version 1\.0\.0.*not-run/);
    const rerun = await gitops(rootDir, ['apply', '--yes'], edge);
    expect(rerun.code, rerun.all).toBe(0);
    expect((await gitops(rootDir, ['plan'], edge)).code).toBe(0);
  });

  it('faults: an apply killed mid-way and run again converges', async () => {
    const rootDir = await createFixtureFleet(exampleServices('m'));
    await mkdir(join(rootDir, '.edge'));
    await copyFile(edge.endpointFile, join(rootDir, '.edge', 'endpoint.json'));
    edge.edge.faults.clearLog();
    edge.edge.faults.add({ method: 'POST', path: '/zones/*/workers/routes', action: { kind: 'delay', ms: 60_000 } });
    // node itself (not the tsx wrapper, which would leave its child running) so SIGKILL kills the apply.
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'scripts', 'gitops', 'main.ts'), 'apply', '--yes', '--root', rootDir], {
      cwd: REPO_ROOT,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
      stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    await waitFor(() => edge.edge.faults.log().filter((entry) => entry.method === 'PUT' && entry.path.endsWith('/schedules')).length > 0, 'the apply to reach its settings wave');
    await sleep(300);
    child.kill('SIGKILL');
    await exited;
    edge.edge.faults.clear();
    await expect(stat(join(rootDir, '.edge', 'gitops-apply.production.lock'))).resolves.toBeDefined();

    const ownEndpoint = join(rootDir, '.edge', 'endpoint.json');
    const plan = await gitops(rootDir, ['plan'], edge, {}, ownEndpoint);
    expect(plan.code).toBe(2);
    expect(plan.out).toContain('add route example.com/m/users*');
    const rerun = await gitops(rootDir, ['apply', '--yes'], edge, {}, ownEndpoint);
    expect(rerun.code, rerun.all).toBe(0);
    expect((await gitops(rootDir, ['plan'], edge)).code).toBe(0);
    expect((await dataPlaneGet(edge.edge, 'http://example.com/m/orders/via-users')).json()).toMatchObject({ service: 'm-users' });
  });

  it('faults: a second apply while one runs is refused and never interleaves', async () => {
    const rootDir = await createFixtureFleet(exampleServices('n'));
    edge.edge.faults.add({ method: 'GET', path: '/zones', times: 1, action: { kind: 'delay', ms: 1_500 } });
    const first = gitops(rootDir, ['apply', '--yes'], edge);
    await waitFor(() => stat(join(edge.stateDir, 'gitops-apply.production.lock')).then(() => true, () => false), 'the first apply to take the lock');
    edge.edge.faults.clearLog();
    const second = await gitops(rootDir, ['apply', '--yes'], edge);
    expect(second.code).toBe(1);
    expect(second.err).toMatch(/another apply is running \(pid \d+ on .+, since .+\); wait for it to finish/);
    expect(edge.edge.faults.log().filter((entry) => entry.method !== 'GET')).toEqual([]);
    expect((await first).code).toBe(0);
    expect((await gitops(rootDir, ['plan'], edge)).code).toBe(0);
  });

  it('apply: refuses a saved plan whose observed state changed since it was made', async () => {
    const rootDir = await createFixtureFleet(exampleServices('o'), 'owner = "owner-o"');
    const planFile = join(rootDir, 'plan.json');
    expect((await gitops(rootDir, ['plan', '--out', planFile], edge)).code).toBe(2);
    const other = await createFixtureFleet(exampleServices('o').slice(0, 1), 'owner = "owner-o"');
    expect((await gitops(other, ['apply', '--yes'], edge)).code).toBe(0);
    edge.edge.faults.clearLog();
    const stale = await gitops(rootDir, ['apply', '--plan', planFile], edge);
    expect(stale.code).toBe(1);
    expect(stale.err).toContain('the saved plan is stale: the account changed since it was made; run plan again');
    expect(edge.edge.faults.log().filter((entry) => entry.method !== 'GET')).toEqual([]);

    expect((await gitops(rootDir, ['plan', '--out', planFile], edge)).code).toBe(2);
    const fresh = await gitops(rootDir, ['apply', '--plan', planFile], edge);
    expect(fresh.code, fresh.all).toBe(0);
    expect((await gitops(rootDir, ['plan'], edge)).code).toBe(0);
  });

  it('apply: refuses a corrupted saved plan naming the bad field, before any API call', async () => {
    const rootDir = await createFixtureFleet(exampleServices('p'));
    const planFile = join(rootDir, 'plan.json');
    expect((await gitops(rootDir, ['plan', '--out', planFile], edge)).code).toBe(2);
    const saved = JSON.parse(await readFile(planFile, 'utf8')) as { waves: { actions: Record<string, unknown>[] }[] };
    const deploy = saved.waves.flatMap((wave) => wave.actions).find((action) => action.kind === 'create-script');
    if (!deploy) throw new Error('the plan has no create-script action');
    delete deploy.tag;
    await writeFile(planFile, JSON.stringify(saved));

    edge.edge.faults.clearLog();
    const refused = await gitops(rootDir, ['apply', '--plan', planFile], edge);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/plan\.json is not a plan written by `plan --out`: waves\.\d+\.actions\.\d+\.tag: .*make it again with `npm run plan -- --out /);
    expect(edge.edge.faults.log()).toEqual([]);

    await writeFile(planFile, '{"formatVersion": 1, "waves": [');
    const notJson = await gitops(rootDir, ['apply', '--plan', planFile], edge);
    expect(notJson.code).toBe(1);
    expect(notJson.err).toMatch(/plan\.json is not JSON/);
    expect(edge.edge.faults.log()).toEqual([]);
  });

  it('apply: one lock per target and environment: a preview applies while staging is locked, a second apply of staging is refused', { timeout: 300_000 }, async () => {
    const checkout = await workflowCheckout();
    const held = await acquireLock(join(edge.stateDir, 'gitops-apply.staging.lock'));
    try {
      await writeFile(join(checkout.dir, 'services/users/CHANGED'), 'a change the preview of PR 7 deploys\n');
      await checkout.commit('change users');
      const preview = await gitops(checkout.dir, ['apply', '--env', 'pr-7', '--base', 'HEAD~1', '--yes'], edge);
      expect(preview.code, preview.all).toBe(0);
      expect(preview.out).toContain('users-pr-7');

      edge.edge.faults.clearLog();
      const staging = await gitops(checkout.dir, ['apply', '--env', 'staging', '--yes'], edge);
      expect(staging.code).toBe(1);
      expect(staging.err).toMatch(/another apply is running \(pid \d+ on .+, since .+\); wait for it to finish, or delete .*gitops-apply\.staging\.lock/);
      expect(edge.edge.faults.log()).toEqual([]);
    } finally {
      await held.release();
      await checkout.remove();
    }
  });
});
