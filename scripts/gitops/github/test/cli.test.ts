import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePullRequest } from '../actions-context.ts';
import { runGitHubCli, type CliIo } from '../cli.ts';
import { createGitHubClient } from '../client.ts';
import { FakeGitHub } from './support/fake-github.ts';
import { typicalPlan } from './support/plans.ts';

/** `tsx scripts/gitops/github/main.ts comment …` as a workflow step runs it. */

const TOKEN = 'ghs_cliSecretTokenValue_5f3a9c1e7b';
const REPO = 'octo/fleet';
const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const run = promisify(execFile);
let github: FakeGitHub;
let dir: string;
let plan: string;

beforeAll(async () => {
  github = new FakeGitHub({ tokens: { [TOKEN]: { login: 'github-actions[bot]', type: 'Bot' } }, repos: { [REPO]: [11, 12, 13, 14] } });
  await github.start();
  dir = await mkdtemp(join(tmpdir(), 'edgeops-github-cli-'));
  plan = join(dir, 'plan.json');
  await writeFile(plan, JSON.stringify(typicalPlan()));
});
afterAll(async () => {
  await github.stop();
  await rm(dir, { recursive: true, force: true });
});

function io(env: CliIo['env']): CliIo & { output: () => string } {
  const chunks: string[] = [];
  return { env, stdout: (text) => chunks.push(text), stderr: (text) => chunks.push(text), retry: { minTimeoutMs: 5, maxTimeoutMs: 10 }, output: () => chunks.join('') };
}

async function event(name: string, payload: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, JSON.stringify(payload));
  return path;
}

/** Runs main.ts in its own process, as `tsx scripts/gitops/github/main.ts` in a workflow step. */
async function spawnMain(args: string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', MAIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 30_000 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe('comment CLI: where the pull request comes from', () => {
  it('reads the repository from GITHUB_REPOSITORY and the number from the pull_request event payload', async () => {
    const path = await event('pull_request.json', { action: 'synchronize', number: 12, pull_request: { number: 12, head: { sha: 'abc' } } });
    const cli = io({ GITHUB_TOKEN: TOKEN, GITHUB_API_URL: github.url, GITHUB_REPOSITORY: REPO, GITHUB_EVENT_PATH: path });
    expect(await runGitHubCli(['comment', '--plan', plan], cli)).toBe(0);
    expect(cli.output()).toMatch(/plan comment created on octo\/fleet#12/);
    expect(github.commentsOn(REPO, 12)).toHaveLength(1);
  });

  it('flags win over the environment', () => {
    expect(resolvePullRequest({ repo: 'a/b', pr: '5' }, { GITHUB_REPOSITORY: 'c/d', GITHUB_EVENT_PATH: '/nonexistent' })).toEqual({ owner: 'a', repo: 'b', number: 5 });
  });

  it('an issue_comment event on a pull request works; a push event is refused with what to pass', async () => {
    const onPr = await event('issue_comment.json', { issue: { number: 13, pull_request: { url: 'x' } } });
    expect(resolvePullRequest({}, { GITHUB_REPOSITORY: REPO, GITHUB_EVENT_PATH: onPr }).number).toBe(13);
    const push = await event('push.json', { ref: 'refs/heads/main' });
    expect(() => resolvePullRequest({}, { GITHUB_REPOSITORY: REPO, GITHUB_EVENT_PATH: push })).toThrow(/not about a pull request \(no pull_request\.number\); pass --pr/);
  });

  it('missing token, repository or number: exit 1 with what to set, and no request is made', async () => {
    const before = github.exchanges.length;
    const noToken = io({ GITHUB_API_URL: github.url });
    expect(await runGitHubCli(['comment', '--plan', plan, '--repo', REPO, '--pr', '11'], noToken)).toBe(1);
    expect(noToken.output()).toMatch(/GITHUB_TOKEN is not set: the comment needs a token with pull-requests: write/);
    const noRepo = io({ GITHUB_TOKEN: TOKEN, GITHUB_API_URL: github.url });
    expect(await runGitHubCli(['comment', '--plan', plan, '--pr', '11'], noRepo)).toBe(1);
    expect(noRepo.output()).toMatch(/pass --repo owner\/name or set GITHUB_REPOSITORY/);
    const badPr = io({ GITHUB_TOKEN: TOKEN, GITHUB_API_URL: github.url });
    expect(await runGitHubCli(['comment', '--plan', plan, '--repo', REPO, '--pr', 'twelve'], badPr)).toBe(1);
    expect(badPr.output()).toMatch(/--pr: expected a pull request number, got "twelve"/);
    expect(github.exchanges.length).toBe(before);
  });

  it('a plan file that is not a reconciler plan: exit 1 naming the field', async () => {
    const broken = join(dir, 'broken.json');
    await writeFile(broken, JSON.stringify({ services: [{ service: 'a' }], waves: [], errors: [] }));
    const cli = io({ GITHUB_TOKEN: TOKEN, GITHUB_API_URL: github.url });
    expect(await runGitHubCli(['comment', '--plan', broken, '--repo', REPO, '--pr', '11'], cli)).toBe(1);
    expect(cli.output()).toMatch(/broken\.json is not a reconciler plan: formatVersion: .*services\.0\.status: /);
  });
});

describe('comment CLI: the token never appears in output', () => {
  it('main.ts in its own process: success, bad credentials and a wrong repository print no token', async () => {
    const env = { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: github.url, GITHUB_REPOSITORY: REPO, WRANGLER_SEND_METRICS: 'false' };
    const ok = await spawnMain(['comment', '--plan', plan, '--pr', '14'], env);
    expect(ok).toMatchObject({ code: 0 });
    expect(ok.output).toMatch(/plan comment created on octo\/fleet#14/);
    const rejected = `${TOKEN}-revoked`;
    const badCredentials = await spawnMain(['comment', '--plan', plan, '--pr', '14'], { ...env, GITHUB_TOKEN: rejected });
    expect(badCredentials.code).toBe(1);
    expect(badCredentials.output).toMatch(/failed with 401: Bad credentials .*the token is invalid or expired/);
    const wrongRepo = await spawnMain(['comment', '--plan', plan, '--repo', 'octo/elsewhere', '--pr', '14'], env);
    expect(wrongRepo.code).toBe(1);
    expect(wrongRepo.output).toMatch(/failed with 404/);
    for (const output of [ok.output, badCredentials.output, wrongRepo.output]) {
      expect(output).not.toContain(TOKEN);
      expect(output).not.toContain(TOKEN.slice(4, 20));
    }
    expect(github.commentsOn(REPO, 14)).toHaveLength(1);
  });

  it('the error a failed request throws carries no token either', async () => {
    const octokit = createGitHubClient({ token: TOKEN, baseUrl: github.url, retry: { retries: 0 } });
    const error = await octokit.rest.issues.listComments({ owner: 'octo', repo: 'elsewhere', issue_number: 1 }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 404 });
    expect(JSON.stringify(error)).not.toContain(TOKEN);
    expect(String((error as Error).stack)).not.toContain(TOKEN);
  });
});
