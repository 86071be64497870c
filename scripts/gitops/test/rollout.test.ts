import { describe, expect, it, vi } from 'vitest';
import type { CloudflareClient } from '../api/client.ts';
import { getVersion, listDeployments } from '../api/cloudflare.ts';
import { runCli } from '../main.ts';
import { fromReconcilerPlan } from '../github/plan-input.ts';
import { renderPlanComment } from '../github/render-comment.ts';
import { createFixtureFleet, exampleServices, writeService, type FixtureService } from '../synthetic/fleet.ts';
import type { StatusRow } from '../run/status.ts';
import { cloudflareEnv, gitops, type CliRun } from './support/cli.ts';
import { dataPlaneGet, withTestEdge, type TestEdge } from './support/edge.ts';

let edge: TestEdge;
let api: CloudflareClient;

withTestEdge((started, startedApi) => {
  edge = started;
  api = startedApi;
});

const MINUTE = 60_000;

/** `npm run rollout` in-process, with the clock at `offsetMs` from now. */
function rollout(rootDir: string, offsetMs: number): Promise<CliRun> {
  return gitopsAt(rootDir, ['rollout'], offsetMs);
}

/** A gitops command in-process, with the clock at `offsetMs` from now. */
async function gitopsAt(rootDir: string, [command = 'plan', ...args]: string[], offsetMs: number): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([command, '--root', rootDir, ...args], {
    output: { out: (text) => out.push(text), err: (text) => err.push(text) },
    endpoint: edge.endpointFile,
    now: () => new Date(Date.now() + offsetMs),
  });
  return { code, out: out.join('\n'), err: err.join('\n'), all: [...out, ...err].join('\n') };
}

async function deployed(script: string): Promise<{ tags: string[]; message?: string }> {
  const [current] = await listDeployments(api, script);
  const tags = await Promise.all((current?.versions ?? []).map(async (entry) => `${(await getVersion(api, script, entry.version_id)).annotations?.['workers/tag']}@${entry.percentage}`));
  return { tags: tags.sort(), ...(current?.annotations?.['workers/message'] ? { message: current.annotations['workers/message'] } : {}) };
}

/**
 * `count` requests to the service's route; resolves once the edge has recorded every one (tail
 * events arrive after the responses).
 */
async function load(script: string, path: string, count: number): Promise<{ statuses: number[] }> {
  const before = edge.edge.invocations.between().filter((invocation) => invocation.script === script).length;
  const statuses: number[] = [];
  for (let n = 1; n <= count; n += 1) statuses.push((await dataPlaneGet(edge.edge, `http://example.com${path}?n=${n}`)).status);
  await vi.waitFor(() => expect(edge.edge.invocations.between().filter((invocation) => invocation.script === script).length - before).toBe(count), { timeout: 30_000, interval: 100 });
  return { statuses };
}

async function startGatedRollout(prefix: string, gate: Record<string, unknown>, next: Partial<FixtureService> = {}): Promise<string> {
  const users = exampleServices(prefix)[0] as FixtureService;
  const rootDir = await createFixtureFleet([users]);
  expect((await gitops(rootDir, ['apply', '--yes'], edge)).code).toBe(0);
  await writeService(rootDir, { ...users, version: '2.0.0', message: 'next', ...next, edgeops: { rollout: { stable: '1.0.0', ...gate } } });
  const plan = await gitops(rootDir, ['plan'], edge);
  expect(plan.out).toMatch(/gradual rollout: 2\.0\.0 \d+% \/ 1\.0\.0 \d+% \(health-gated: step 1\/\d\)/);
  const applied = await gitops(rootDir, ['apply', '--yes'], edge);
  expect(applied.code, applied.all).toBe(0);
  return rootDir;
}

describe('npm run rollout: health-gated rollouts on the local edge', () => {
  it('rolls a version that throws on 20% of requests back to stable at the first step, exits 1, and the next plan and status name it', async () => {
    const rootDir = await startGatedRollout('ra', { steps: [50, 100], interval: '5m', maxErrorRate: 0.05, minRequests: 20 }, { failEvery: 5 });
    expect((await deployed('ra-users')).tags).toEqual(['1.0.0@50', '2.0.0@50']);
    const { statuses } = await load('ra-users', '/ra/users', 120);
    expect(statuses.filter((status) => status === 500).length).toBeGreaterThan(0);

    // status: per deployed version, the window's requests and errors, as the edge counted them.
    const servedBy = (versionId: string) => edge.edge.invocations.between().filter((invocation) => invocation.script === 'ra-users' && invocation.versionId === versionId);
    const trafficOf = (run: CliRun) => {
      const [row] = JSON.parse(run.out) as StatusRow[];
      if (!row?.traffic || 'error' in row.traffic) throw new Error(`no traffic in ${run.all}`);
      return row.traffic.versions;
    };
    const local = await gitops(rootDir, ['status', '--json'], edge);
    expect(local.code, local.all).toBe(0);
    const versions = trafficOf(local);
    expect(versions.map((version) => `${version.tag}@${version.percentage}`).sort()).toEqual(['1.0.0@50', '2.0.0@50']);
    for (const version of versions) {
      const expected = servedBy(version.versionId);
      expect(version).toMatchObject({ requests: expected.length, errors: expected.filter((invocation) => invocation.error).length });
      expect(version.errorRate).toBeCloseTo(version.errors / version.requests, 6);
    }
    expect(versions.reduce((total, version) => total + version.requests, 0)).toBe(120);
    expect(versions.find((version) => version.tag === '1.0.0')?.errors).toBe(0);
    expect(versions.find((version) => version.tag === '2.0.0')?.errors).toBe(statuses.filter((status) => status === 500).length);
    // The same code reads Cloudflare: target cloudflare (here pointed at the edge) gives the same figures.
    const remote = await gitops(rootDir, ['status', '--json', '--target', 'cloudflare'], edge, cloudflareEnv(edge));
    expect(remote.code, remote.all).toBe(0);
    expect(trafficOf(remote)).toEqual(versions);
    const text = await gitops(rootDir, ['status', '--window', '1h'], edge);
    const newer = versions.find((version) => version.tag === '2.0.0');
    expect(text.out).toContain('last 1h per version');
    expect(text.out).toContain(`2.0.0 (50%): ${newer?.requests} requests, ${newer?.errors} errors (${((newer?.errorRate ?? 0) * 100).toFixed(1)}%)`);
    // The window ends at the clock: ten minutes on, a 5-minute window holds none of that traffic.
    const later = trafficOf(await gitopsAt(rootDir, ['status', '--json', '--window', '5m'], 10 * MINUTE));
    expect(later.map((version) => version.requests)).toEqual([0, 0]);
    expect((await gitops(rootDir, ['status', '--window', 'soon'], edge)).all).toContain('expected a duration such as 30s, 5m, 2h or 1d');

    // The interval has not passed: an error rate over the limit rolls back at once all the same.
    const run = await rollout(rootDir, 0);
    expect(run.code, run.all).toBe(1);
    expect(run.out).toMatch(/ra-users 2\.0\.0 step 1\/2 \(50%\): (\d+) requests, (\d+) errors \((\d+\.\d)%, limit 5\.0%\) over the limit → rolled back to 1\.0\.0 at 100%/);
    const [, requests, errors] = /(\d+) requests, (\d+) errors/.exec(run.out) ?? [];
    const served = edge.edge.invocations.between().filter((invocation) => invocation.script === 'ra-users' && invocation.error);
    expect(Number(errors)).toBe(served.length);
    expect(Number(requests)).toBeGreaterThanOrEqual(20);
    expect(await deployed('ra-users')).toEqual({ tags: ['1.0.0@100'], message: 'edgeops health gate rolled back 2.0.0' });

    const plan = await gitops(rootDir, ['plan'], edge);
    expect(plan.code, 'a rollback by the gate is a difference from git: the drift job fails on it').toBe(2);
    expect(plan.out).toMatch(/rollout: version 2\.0\.0 was rolled back by the health gate on \d{4}-\d{2}-\d{2}/);
    expect(plan.out).not.toContain('deploy 2.0.0');
    const status = await gitops(rootDir, ['status', '--json'], edge);
    const [row] = JSON.parse(status.out) as { drifted: boolean; why: string[] }[];
    expect(row?.drifted).toBe(true);
    expect(row?.why.join('\n')).toContain('was rolled back by the health gate');
    // Nothing left to judge.
    expect((await rollout(rootDir, 10 * MINUTE)).out).toContain('No health-gated rollout in progress.');
  });

  it('takes a healthy version to 100% step by step, waiting for the interval and for enough requests; a new runner resumes from the account', async () => {
    const rootDir = await startGatedRollout('rb', { steps: [25, 50, 100], interval: '5m', maxErrorRate: 0.02, minRequests: 10 });
    expect((await deployed('rb-users')).tags).toEqual(['1.0.0@75', '2.0.0@25']);

    const tooFew = await rollout(rootDir, 6 * MINUTE);
    expect(tooFew.code, tooFew.all).toBe(0);
    expect(tooFew.out).toContain('rb-users 2.0.0 step 1/3 (25%): 0 requests, 0 errors (0.0%, limit 2.0%) waits: too few requests to judge: 0 of the 10 needed');

    await load('rb-users', '/rb/users', 100);
    const early = await rollout(rootDir, 0);
    expect(early.out).toMatch(/waits: the step began \d+s ago; it lasts at least 300s/);
    expect((await deployed('rb-users')).tags).toEqual(['1.0.0@75', '2.0.0@25']);

    const first = await rollout(rootDir, 6 * MINUTE);
    expect(first.code, first.all).toBe(0);
    expect(first.out).toMatch(/rb-users 2\.0\.0 step 1\/3 \(25%\): \d+ requests, 0 errors \(0\.0%, limit 2\.0%\) → step 2\/3 \(50%\)/);
    expect(await deployed('rb-users')).toEqual({ tags: ['1.0.0@50', '2.0.0@50'], message: 'edgeops rollout 2.0.0 step 2/3' });
    // git did not change: the plan leaves the rollout where the runner took it.
    const plan = await gitops(rootDir, ['plan'], edge);
    expect(plan.code, plan.out).toBe(0);
    expect(plan.out).toContain('rollout: health-gated rollout of 2.0.0: step 2/3 at 50%');
    const comment = renderPlanComment(fromReconcilerPlan(JSON.parse((await gitops(rootDir, ['plan', '--json'], edge)).out)));
    expect(comment).toContain('#### Rollouts');
    expect(comment).toContain('`rb-users`: health-gated rollout of 2.0.0: step 2/3 at 50%');
    const status = await gitops(rootDir, ['status'], edge);
    expect(status.out).toMatch(/yes \(health-gated rollout of 2\.0\.0: step 2\/3 at\s+50%/);

    // A fresh runner (the previous one gone) reads the step from the account: the new step needs its own requests.
    const resumed = await rollout(rootDir, 12 * MINUTE);
    expect(resumed.out).toContain('rb-users 2.0.0 step 2/3 (50%): 0 requests');
    await load('rb-users', '/rb/users', 60);
    const second = await rollout(rootDir, 12 * MINUTE);
    expect(second.out).toMatch(/step 2\/3 \(50%\): \d+ requests, 0 errors .* → step 3\/3 \(100%\)/);
    expect(await deployed('rb-users')).toEqual({ tags: ['2.0.0@100'], message: 'edgeops rollout 2.0.0 step 3/3' });
    const done = await gitops(rootDir, ['plan'], edge);
    expect(done.code, done.out).toBe(0);
    expect(done.out).toContain('reached 100%');
  });
});
