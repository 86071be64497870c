import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

    expect(github.deploymentsOf('octo/fleet')).toEqual([
      { id: staging, environment: 'staging', ref: sha, transient: false, production: false, states: ['in_progress', 'success'], environmentUrls: ['', 'https://api.staging.example.com'] },
      { id: production, environment: 'production', ref: sha, transient: false, production: true, states: ['in_progress', 'failure'], environmentUrls: ['', ''] },
      { id: preview, environment: 'pr-12', ref: sha, transient: true, production: false, states: ['in_progress', 'success', 'inactive'], environmentUrls: ['', 'https://pr-12.api.staging.example.com', ''] },
      { id: other, environment: 'pr-13', ref: sha, transient: true, production: false, states: ['in_progress', 'success'], environmentUrls: ['', ''] },
    ]);
    expect(github.exchanges.flatMap((exchange) => exchange.requestViolations)).toEqual([]);
    expect(github.violations()).toEqual([]);
    expect(new Set(github.exchanges.map((exchange) => exchange.operationId))).toEqual(new Set(['repos/create-deployment', 'repos/create-deployment-status', 'repos/list-deployments']));
  });
});
