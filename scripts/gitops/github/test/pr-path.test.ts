/**
 * The pull-request path and the drift check as GitHub runs them: ci.yml's `preview` and `plan` jobs,
 * preview-teardown.yml and drift.yml, each run by the workflow runner on a git checkout of the
 * example fleet, against one local edge (target cloudflare through CLOUDFLARE_API_BASE_URL) and the
 * OpenAPI-checked GitHub stand-in. Production and staging are applied first, as the merge path
 * leaves them.
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteRoute, listRoutes, listScripts, listZones } from '../../api/cloudflare.ts';
import type { CloudflareClient } from '../../api/client.ts';
import { gitops } from '../../test/support/cli.ts';
import { dataPlaneGet, withTestEdge, type TestEdge } from '../../test/support/edge.ts';
import { holdings } from '../../test/support/holdings.ts';
import { FakeGitHub } from './support/fake-github.ts';
import { runWorkflow, workflowCheckout, type RunWorkflowOptions, type WorkflowRun } from './support/workflow-run.ts';

const TOKEN = 'ghs_fakePrPathToken000000001';
const REPO = 'acme/fleet';
const PR = 7;
const USERS_SOURCE = 'services/users/src/index.ts';
const USERS_PACKAGE = 'services/users/package.json';

let edge: TestEdge;
let client: CloudflareClient;
withTestEdge((started, api) => {
  edge = started;
  client = api;
});

let github: FakeGitHub;
let checkout: Awaited<ReturnType<typeof workflowCheckout>>;
let baseSha: string;

beforeAll(async () => {
  github = new FakeGitHub({ tokens: { [TOKEN]: { login: 'github-actions[bot]', type: 'Bot' } }, repos: { [REPO]: [PR] } });
  await github.start();
  checkout = await workflowCheckout();
  baseSha = (await promisify(execFile)('git', ['rev-parse', 'HEAD'], { cwd: checkout.dir })).stdout.trim();
  // What the merge path leaves: production and staging applied from main.
  for (const args of [['apply', '--yes'], ['apply', '--env', 'staging', '--yes']]) {
    const applied = await gitops(checkout.dir, args, edge);
    expect(applied.code, applied.all).toBe(0);
  }
}, 600_000);
afterAll(async () => {
  await github?.stop();
  await checkout?.remove();
});

/** Runs a workflow of this repository in the checkout, as GitHub would for `event`. */
function run(workflow: string, event: RunWorkflowOptions['event'], sha: string): Promise<WorkflowRun> {
  const credentials = { token: edge.endpoint.token, account: edge.endpoint.accountId };
  return runWorkflow({
    workflow,
    event,
    cwd: checkout.dir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', CLOUDFLARE_API_BASE_URL: edge.endpoint.apiUrl, WRANGLER_SEND_METRICS: 'false' },
    secrets: {
      GITHUB_TOKEN: TOKEN,
      CLOUDFLARE_API_TOKEN: credentials.token,
      CLOUDFLARE_ACCOUNT_ID: credentials.account,
      CLOUDFLARE_API_TOKEN_STAGING: credentials.token,
      CLOUDFLARE_ACCOUNT_ID_STAGING: credentials.account,
    },
    github: { repository: REPO, sha, ref: 'refs/heads/main', base_ref: event.name === 'pull_request' ? 'main' : undefined, api_url: github.url, server_url: 'https://github.com', run_id: 4242 },
    // `test` is this very suite; the checkout is installed already.
    done: { test: 'success' },
    skipRun: (script) => script === 'npm ci',
  });
}

function pullRequestEvent(action: 'opened' | 'closed', headSha: string): RunWorkflowOptions['event'] {
  const repo = { full_name: REPO };
  return {
    name: 'pull_request',
    payload: { action, number: PR, pull_request: { number: PR, merged: false, head: { sha: headSha, ref: 'friendlier-404', repo }, base: { sha: baseSha, ref: 'main', repo } } },
  };
}

/** Each job's result, and for a failed job what its steps printed (the end of it), for a readable failure message. */
function describeRun(result: WorkflowRun): string {
  return result.jobs
    .map((job) => `${job.name}: ${job.result}\n${job.result === 'failure' ? job.steps.filter((step) => step.kind === 'run').map((step) => `  ${step.outcome === 'failure' ? '✗' : '✓'} ${step.name}\n${step.output.slice(-1500)}`).join('\n') : ''}`)
    .join('\n');
}

const results = (result: WorkflowRun) => result.jobs.map((job) => [job.name, job.result]);

describe('the pull-request path', () => {
  it('PR open → preview deployed and answering with the PR\'s code → one comment with the plan and its URLs → close → teardown → deployments inactive; staging and production untouched', { timeout: 600_000 }, async () => {
    const before = { production: await holdings('edgeops-example', edge), staging: await holdings('edgeops-example-staging', edge) };

    // The PR changes users' code with its version bump (and so previews users, and orders, which binds it).
    const source = await readFile(join(checkout.dir, USERS_SOURCE), 'utf8');
    await writeFile(join(checkout.dir, USERS_SOURCE), source.replace('`No user with id ${id}.`', '`No user with id ${id} (friendlier).`'));
    const manifest = JSON.parse(await readFile(join(checkout.dir, USERS_PACKAGE), 'utf8')) as { version: string };
    await writeFile(join(checkout.dir, USERS_PACKAGE), `${JSON.stringify({ ...manifest, version: '1.1.1' }, null, 2)}\n`);
    // The published contract document names the version: regenerated as the PR's author does.
    await promisify(execFile)('npm', ['run', 'contracts'], { cwd: checkout.dir, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } });
    const headSha = await checkout.commit('users: a friendlier 404');

    const opened = await run('ci.yml', pullRequestEvent('opened', headSha), headSha);
    expect(results(opened), describeRun(opened)).toEqual([
      ['preview', 'success'],
      ['plan', 'success'],
    ]);

    // The preview answers with the PR's code; staging still with main's.
    const previewUrl = 'https://pr-7.api.staging.example.com/users';
    const preview = await dataPlaneGet(edge.edge, `${previewUrl}/nobody`);
    expect(preview.status).toBe(404);
    expect(preview.body).toContain('No user with id nobody (friendlier).');
    expect((await dataPlaneGet(edge.edge, 'https://api.staging.example.com/users/nobody')).body).toContain('No user with id nobody.');
    expect(await holdings('edgeops-example-pr-7', edge)).toMatchObject({
      scripts: ['orders-pr-7', 'users-pr-7'],
      routes: [{ pattern: 'pr-7.api.staging.example.com/orders*' }, { pattern: 'pr-7.api.staging.example.com/users*' }],
    });

    // One sticky comment: the production plan (users changes) and the preview's URL per Worker.
    const comments = github.commentsOn(REPO, PR);
    expect(comments).toHaveLength(1);
    const body = comments[0]?.body ?? '';
    expect(body).toMatch(/^<!-- edgeops-plan -->\n### edgeops plan · `cloudflare`/);
    expect(body).toContain('#### `users` · update');
    expect(body).toContain('`version 1.1.1`');
    expect(body).toContain('#### Preview `pr-7`');
    expect(body).toContain(`| \`users-pr-7\` | <${previewUrl}> |`);
    expect(body).toContain('| `orders-pr-7` | <https://pr-7.api.staging.example.com/orders> |');

    // The preview's GitHub Deployment: in_progress → success with its URL, transient.
    expect(github.deploymentsOf(REPO)).toEqual([
      { id: expect.any(Number), environment: 'pr-7', ref: headSha, transient: true, production: false, states: ['in_progress', 'success'], environmentUrls: ['', 'https://pr-7.api.staging.example.com/orders'] },
    ]);

    // Close: the preview is gone, its deployment inactive; closing again changes nothing.
    for (const time of ['first', 'second']) {
      const closed = await run('preview-teardown.yml', pullRequestEvent('closed', headSha), headSha);
      expect(results(closed), `${time} close\n${describeRun(closed)}`).toEqual([['teardown', 'success']]);
    }
    expect(await holdings('edgeops-example-pr-7', edge)).toEqual({ scripts: [], deployments: [], routes: [] });
    expect((await dataPlaneGet(edge.edge, `${previewUrl}/nobody`)).body).not.toContain('friendlier');
    expect(github.deploymentsOf(REPO).map((deployment) => deployment.states)).toEqual([['in_progress', 'success', 'inactive']]);

    expect({ production: await holdings('edgeops-example', edge), staging: await holdings('edgeops-example-staging', edge) }).toEqual(before);
    expect(github.exchanges.flatMap((exchange) => exchange.requestViolations)).toEqual([]);
    expect(github.violations()).toEqual([]);
  });
});

describe('drift per environment', () => {
  it('drift in staging only opens one issue for staging; once staging matches again it is closed with a comment', { timeout: 600_000 }, async () => {
    // The PR above was closed unmerged: main is users as it was.
    await promisify(execFile)('git', ['checkout', baseSha, '--', 'services/users'], { cwd: checkout.dir });
    const sha = await checkout.commit('main');
    const schedule = { name: 'schedule', payload: { schedule: '17 6 * * *' } };

    // Someone deletes staging's users route by hand.
    const [zone] = await listZones(client);
    const route = (await listRoutes(client, zone?.id ?? '')).find((candidate) => candidate.pattern === 'api.staging.example.com/users*');
    expect(route).toBeDefined();
    await deleteRoute(client, zone?.id ?? '', route?.id ?? '');

    const drifted = await run('drift.yml', schedule, sha);
    expect(results(drifted), describeRun(drifted)).toEqual([
      ['environments', 'success'],
      ['drift (production)', 'success'],
      ['drift (staging)', 'failure'],
    ]);
    const staging = drifted.job('drift').find((job) => job.matrix?.environment === 'staging');
    expect(staging?.steps.map((step) => [step.name, step.outcome]).slice(-4)).toEqual([
      ['Plan against Cloudflare', 'success'],
      ['Write the plan to the run summary', 'success'],
      ["Open, update or close the environment's drift issue", 'success'],
      ['Fail on drift or error', 'failure'],
    ]);
    const [issue, ...others] = github.issuesOf(REPO);
    expect(others).toEqual([]);
    expect(issue).toMatchObject({ title: 'Drift in staging: Cloudflare no longer matches git', labels: ['drift'], state: 'open' });
    expect(issue?.body).toMatch(/^<!-- edgeops-drift:staging -->\n\*\*Drift in `staging`:\*\*/);
    expect(issue?.body).toContain('api.staging.example.com/users*');

    // Staging converges again (the deploy workflow's apply): the next check closes the issue.
    const converged = await gitops(checkout.dir, ['apply', '--env', 'staging', '--yes'], edge);
    expect(converged.code, converged.all).toBe(0);
    expect((await listScripts(client, 'edgeops-example-staging')).length).toBe(3);
    const clean = await run('drift.yml', schedule, sha);
    expect(results(clean), describeRun(clean)).toEqual([
      ['environments', 'success'],
      ['drift (production)', 'success'],
      ['drift (staging)', 'success'],
    ]);
    expect(github.issuesOf(REPO)).toEqual([
      expect.objectContaining({ title: 'Drift in staging: Cloudflare no longer matches git', state: 'closed', stateReason: 'completed', comments: [expect.stringMatching(/^`staging` matches git again according to \[this drift check\]\(https:\/\/github\.com\/acme\/fleet\/actions\/runs\/4242\): closing\.$/)] }),
    ]);
    expect(github.violations()).toEqual([]);
  });
});
