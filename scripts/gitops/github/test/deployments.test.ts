import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGitHubCli } from '../cli.ts';
import { createGitHubClient } from '../client.ts';
import { deactivateEnvironment, finishDeployment, startDeployment } from '../deployments.ts';
import { FakeGitHub } from './support/fake-github.ts';

const TOKEN = 'ghs_fakeDeploymentsToken0001';
const REPO = { owner: 'octo', repo: 'fleet' };
let github: FakeGitHub;

beforeAll(async () => {
  github = new FakeGitHub({ tokens: { [TOKEN]: { login: 'github-actions[bot]', type: 'Bot' } }, repos: { 'octo/fleet': [12, 13] } });
  await github.start();
});
afterAll(async () => {
  await github.stop();
});

describe('GitHub Deployments per environment and preview', () => {
  it('merge → staging → production, a preview and its teardown: the statuses GitHub received, all as its OpenAPI document allows', async () => {
    const octokit = createGitHubClient({ token: TOKEN, baseUrl: github.url });
    const sha = 'a'.repeat(40);
    const staging = await startDeployment(octokit, { ...REPO, sha, environment: 'staging' });
    await finishDeployment(octokit, REPO, staging, { ok: true, environmentUrl: 'https://api.staging.example.com' });
    const production = await startDeployment(octokit, { ...REPO, sha, environment: 'production' });
    await finishDeployment(octokit, REPO, production, { ok: false, description: 'smoke test failed' });
    const preview = await startDeployment(octokit, { ...REPO, sha, environment: 'pr-12' });
    await finishDeployment(octokit, REPO, preview, { ok: true, environmentUrl: 'https://pr-12.api.staging.example.com' });
    const other = await startDeployment(octokit, { ...REPO, sha, environment: 'pr-13' });
    await finishDeployment(octokit, REPO, other, { ok: true });

    expect(await deactivateEnvironment(octokit, REPO, 'pr-12')).toBe(1);
    // A second teardown (a PR closed again) adds no status: the deployment is already inactive.
    expect(await deactivateEnvironment(octokit, REPO, 'pr-12')).toBe(0);

    expect(github.deploymentsOf('octo/fleet')).toEqual([
      { id: staging, environment: 'staging', ref: sha, transient: false, production: false, states: ['in_progress', 'success'], environmentUrls: ['', 'https://api.staging.example.com'] },
      { id: production, environment: 'production', ref: sha, transient: false, production: true, states: ['in_progress', 'failure'], environmentUrls: ['', ''] },
      { id: preview, environment: 'pr-12', ref: sha, transient: true, production: false, states: ['in_progress', 'success', 'inactive'], environmentUrls: ['', 'https://pr-12.api.staging.example.com', ''] },
      { id: other, environment: 'pr-13', ref: sha, transient: true, production: false, states: ['in_progress', 'success'], environmentUrls: ['', ''] },
    ]);
    expect(github.exchanges.flatMap((exchange) => exchange.requestViolations)).toEqual([]);
    expect(github.violations()).toEqual([]);
    expect(new Set(github.exchanges.map((exchange) => exchange.operationId))).toEqual(new Set(['repos/create-deployment', 'repos/create-deployment-status', 'repos/list-deployments', 'repos/list-deployment-statuses']));
  });
});

describe('the deployment commands of the GitHub CLI', () => {
  it('start prints the id, finish marks it, deactivate marks a preview inactive; no token in the output', async () => {
    const out: string[] = [];
    const io = { env: { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: github.url, GITHUB_REPOSITORY: 'octo/fleet', GITHUB_SHA: 'b'.repeat(40) }, stdout: (text: string) => out.push(text), stderr: (text: string) => out.push(text) };
    expect(await runGitHubCli(['deployment', 'start', '--env', 'pr-13'], io)).toBe(0);
    const id = Number(out[0]);
    expect(Number.isInteger(id)).toBe(true);
    expect(await runGitHubCli(['deployment', 'finish', '--id', String(id), '--state', 'success', '--url', 'https://pr-13.api.staging.example.com'], io)).toBe(0);
    expect(await runGitHubCli(['deployment', 'deactivate', '--env', 'pr-13'], io)).toBe(0);
    expect(github.deploymentsOf('octo/fleet').find((deployment) => deployment.id === id)?.states).toEqual(['in_progress', 'success', 'inactive']);
    expect(await runGitHubCli(['deployment', 'finish', '--id', String(id), '--state', 'done'], io)).toBe(1);
    expect(out.join('')).toContain('--state: expected success or failure');
    expect(out.join('')).not.toContain(TOKEN);
    expect(github.violations()).toEqual([]);
  });
});
