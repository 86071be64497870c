/**
 * The merge path as GitHub runs it: deploy.yml, run job by job (scripts/gitops/github/test/support/
 * workflow-run.ts) on a git checkout of the example fleet, against one local edge standing in for
 * Cloudflare (CLOUDFLARE_API_BASE_URL; the smoke test connects to its data plane through
 * EDGEOPS_SMOKE_ORIGIN) and the OpenAPI-checked GitHub stand-in (GITHUB_API_URL).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitops } from '../../test/support/cli.ts';
import { dataPlaneGet, withTestEdge, type TestEdge } from '../../test/support/edge.ts';
import { breakUsers, setServiceVersion } from '../../smoke/test/support/releases.ts';
import { FakeGitHub } from './support/fake-github.ts';
import { runWorkflow, workflowCheckout, type WorkflowRun } from './support/workflow-run.ts';

const TOKEN = 'ghs_fakeMergePathToken0001';
const REPOSITORY = 'octo/fleet';

let edge: TestEdge;
withTestEdge((started) => (edge = started));
let github: FakeGitHub;
let checkout: Awaited<ReturnType<typeof workflowCheckout>>;

beforeAll(async () => {
  github = new FakeGitHub({ tokens: { [TOKEN]: { login: 'github-actions[bot]', type: 'Bot' } }, repos: { [REPOSITORY]: [] } });
  await github.start();
  checkout = await workflowCheckout();
}, 120_000);
afterAll(async () => {
  await checkout?.remove();
  await github?.stop();
});

/** deploy.yml on a push of `sha` to main, with the test job counted as passed (it is this suite). */
function deploy(sha: string): Promise<WorkflowRun> {
  const { token, accountId, apiUrl } = edge.endpoint;
  return runWorkflow({
    workflow: 'deploy.yml',
    event: { name: 'push', payload: { ref: 'refs/heads/main', after: sha } },
    cwd: checkout.dir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_API_BASE_URL: apiUrl, EDGEOPS_SMOKE_ORIGIN: edge.edge.url },
    secrets: {
      GITHUB_TOKEN: TOKEN,
      CLOUDFLARE_API_TOKEN: token,
      CLOUDFLARE_ACCOUNT_ID: accountId,
      CLOUDFLARE_API_TOKEN_STAGING: token,
      CLOUDFLARE_ACCOUNT_ID_STAGING: accountId,
    },
    github: { repository: REPOSITORY, sha, ref: 'refs/heads/main', ref_name: 'main', api_url: github.url, server_url: 'https://github.com', run_id: '7' },
    done: { test: 'success' },
    skipRun: (run) => run === 'npm ci',
  });
}

/** What `npm run status` reads from the account: each service's deployed version in an environment. */
async function deployed(environment: string): Promise<Record<string, string | undefined>> {
  const status = await gitops(checkout.dir, ['status', '--env', environment, '--json'], edge);
  expect(status.code, status.all).toBe(0);
  return Object.fromEntries((JSON.parse(status.out) as { service: string; deployed?: string }[]).map((row) => [row.service, row.deployed]));
}

const jobsOf = (run: WorkflowRun) => run.jobs.map((job) => [job.id, job.result]);
const stepsOf = (run: WorkflowRun, id: string) => run.job(id)[0]?.steps.filter((step) => step.kind === 'run' && step.name !== 'npm ci').map((step) => [step.name, step.outcome]);
const failureOutput = (run: WorkflowRun) => run.jobs.flatMap((job) => job.steps.filter((step) => step.outcome === 'failure').map((step) => `${job.id} / ${step.name}:\n${step.output}`)).join('\n');

describe('deploy.yml: the merge path, staging → smoke → production', () => {
  it('merge path: a version bump merged to main is applied to staging, smoke-tested, then applied to production; a GitHub Deployment per environment', { timeout: 600_000 }, async () => {
    // What main deployed before: production and staging at users 1.1.0 (applied at once: one lock each).
    for (const seeded of await Promise.all(['production', 'staging'].map((environment) => gitops(checkout.dir, ['apply', '--env', environment, '--yes'], edge)))) {
      expect(seeded.code, seeded.all).toBe(0);
    }
    await setServiceVersion(checkout.dir, 'users', '1.2.0');
    const sha = await checkout.commit('users 1.2.0');

    const run = await deploy(sha);
    expect(jobsOf(run), failureOutput(run)).toEqual([
      ['staging', 'success'],
      ['production', 'success'],
    ]);
    expect(stepsOf(run, 'staging')).toEqual([
      ['Start the staging deployment', 'success'],
      ['Apply to staging', 'success'],
      ['Smoke test staging', 'success'],
      ["Record the staging deployment's outcome", 'success'],
    ]);
    expect(stepsOf(run, 'production')).toEqual([
      ['Start the production deployment', 'success'],
      ['Apply to Cloudflare', 'success'],
      ['Judge health-gated rollouts', 'success'],
      ['Smoke test production', 'success'],
      ["Record the production deployment's outcome", 'success'],
    ]);
    expect(run.job('staging')[0]?.environment).toEqual({ name: 'staging', url: 'https://api.staging.example.com' });
    expect(run.job('production')[0]?.environment).toEqual({ name: 'production', url: 'https://api.example.com' });
    expect(run.job('staging')[0]?.steps.find((step) => step.name === 'Smoke test staging')?.output).toMatch(/users-staging\s*│\s*GET \/users\s*│\s*200\s*│\s*pass/);

    expect(await deployed('staging')).toMatchObject({ 'users-staging': '1.2.0' });
    expect(await deployed('production')).toMatchObject({ users: '1.2.0' });
    expect((await dataPlaneGet(edge.edge, 'http://api.example.com/users')).status).toBe(200);

    expect(github.deploymentsOf(REPOSITORY)).toEqual([
      { id: expect.any(Number), environment: 'staging', ref: sha, transient: false, production: false, states: ['in_progress', 'success'], environmentUrls: ['', 'https://api.staging.example.com'] },
      { id: expect.any(Number), environment: 'production', ref: sha, transient: false, production: true, states: ['in_progress', 'success'], environmentUrls: ['', 'https://api.example.com'] },
    ]);
    expect(github.exchanges.map((exchange) => exchange.operationId)).toEqual([
      'repos/create-deployment',
      'repos/create-deployment-status',
      'repos/create-deployment-status',
      'repos/create-deployment',
      'repos/create-deployment-status',
      'repos/create-deployment-status',
    ]);
    expect(github.violations()).toEqual([]);
  });

  it('merge path: a smoke failure on staging stops production, which keeps serving the previous version; the staging deployment is marked failure', { timeout: 600_000 }, async () => {
    const before = github.deploymentsOf(REPOSITORY).length;
    await breakUsers(checkout.dir);
    await setServiceVersion(checkout.dir, 'users', '1.3.0');
    const sha = await checkout.commit('users 1.3.0, which answers 500');

    const run = await deploy(sha);
    expect(jobsOf(run)).toEqual([
      ['staging', 'failure'],
      ['production', 'skipped'],
    ]);
    expect(stepsOf(run, 'staging')).toEqual([
      ['Start the staging deployment', 'success'],
      ['Apply to staging', 'success'],
      ['Smoke test staging', 'failure'],
      ["Record the staging deployment's outcome", 'success'],
    ]);
    expect(run.job('staging')[0]?.steps.find((step) => step.name === 'Smoke test staging')?.output).toMatch(/users-staging\s*│\s*GET \/users\s*│\s*500\s*│\s*fail: expected a 2xx answer, got 500/);

    // Staging runs the broken release; production still runs 1.2.0 and answers.
    expect(await deployed('staging')).toMatchObject({ 'users-staging': '1.3.0' });
    expect(await deployed('production')).toMatchObject({ users: '1.2.0' });
    expect((await dataPlaneGet(edge.edge, 'http://api.staging.example.com/users')).status).toBe(500);
    const production = await dataPlaneGet(edge.edge, 'http://api.example.com/users');
    expect(production.status).toBe(200);
    expect(production.json()).toHaveProperty('users');

    expect(github.deploymentsOf(REPOSITORY).slice(before)).toEqual([
      { id: expect.any(Number), environment: 'staging', ref: sha, transient: false, production: false, states: ['in_progress', 'failure'], environmentUrls: ['', ''] },
    ]);
    expect(github.violations()).toEqual([]);
  });
});
