import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../client.ts';
import { runGitHubCli, type CliIo } from '../cli.ts';
import { PLAN_COMMENT_MARKER } from '../render-comment.ts';
import { upsertStickyComment } from '../sticky-comment.ts';
import { FakeGitHub, GITHUB_COMMENT_LIMIT } from './support/fake-github.ts';
import { reconcilerPlan, typicalPlan } from './support/plans.ts';
import type { Action } from '../../plan/action.ts';

/** The plan comment end to end: Octokit → the OpenAPI-checked fake GitHub, in memory. */

const TOKEN = 'ghs_planCommentSecretToken0123456789';
const OTHER_TOKEN = 'ghp_aliceSecretToken9876543210';
const REPO = 'octo/fleet';
const FAST_RETRY = { minTimeoutMs: 5, maxTimeoutMs: 20, maxRetryAfterMs: 2_000 };
let github: FakeGitHub;
let dir: string;
let nextPr = 1;

beforeAll(async () => {
  github = new FakeGitHub({
    tokens: { [TOKEN]: { login: 'github-actions[bot]', type: 'Bot' }, [OTHER_TOKEN]: { login: 'alice', type: 'User' } },
    repos: { [REPO]: Array.from({ length: 50 }, (_unused, index) => index + 1) },
  });
  await github.start();
  dir = await mkdtemp(join(tmpdir(), 'edgeops-github-'));
});
afterAll(async () => {
  await github.stop();
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  // Every request any test made was a documented, valid, authenticated one, and every reply was documented.
  const violations = github.violations();
  const exchanges = github.exchanges.splice(0);
  github.clearFaults();
  expect(violations).toEqual([]);
  expect(exchanges.filter((exchange) => exchange.requestViolations.length > 0)).toEqual([]);
  expect(exchanges.every((exchange) => exchange.authorized)).toBe(true);
});

async function planFile(name: string, plan: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `${JSON.stringify(plan, null, 2)}\n`);
  return path;
}

function io(env: CliIo['env'] = {}): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { env: { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: github.url, ...env }, stdout: (text) => out.push(text), stderr: (text) => err.push(text), retry: FAST_RETRY, out, err };
}

describe('plan comment: one sticky comment per pull request', () => {
  it('first run creates the comment, second run updates the same one (no duplicate)', async () => {
    const pr = nextPr++;
    github.seedComment(REPO, pr, 'Looks good to me', { login: 'alice', type: 'User' });
    const plan = await planFile('typical.json', typicalPlan());

    const first = io();
    expect(await runGitHubCli(['comment', '--plan', plan, '--repo', REPO, '--pr', String(pr)], first)).toBe(0);
    expect(first.out.join('')).toMatch(new RegExp(`plan comment created on ${REPO}#${pr}: http://127\\.0\\.0\\.1:\\d+/${REPO}/pull/${pr}#issuecomment-\\d+`));
    const afterFirst = github.commentsOn(REPO, pr);
    expect(afterFirst).toHaveLength(2);
    expect(afterFirst[1]?.body.startsWith(PLAN_COMMENT_MARKER)).toBe(true);
    expect(afterFirst[1]?.body).toContain('**Plan:** 1 to create, 1 to update, 0 to delete, 2 unchanged.');

    const changed = await planFile('changed.json', reconcilerPlan({ services: [{ service: 'users', status: 'unchanged', declared: '1.0.0', deployed: '1.0.0' }] }));
    const second = io();
    expect(await runGitHubCli(['comment', '--plan', changed, '--repo', REPO, '--pr', String(pr)], second)).toBe(0);
    expect(second.out.join('')).toMatch(/plan comment updated/);
    const afterSecond = github.commentsOn(REPO, pr);
    expect(afterSecond).toHaveLength(2);
    expect(afterSecond[1]?.id).toBe(afterFirst[1]?.id);
    expect(afterSecond[1]?.body).toContain('**No changes.** 1 unchanged.');
    expect(afterSecond[0]).toEqual(afterFirst[0]);
    expect(github.exchanges.map((exchange) => exchange.operationId)).toEqual(['issues/list-comments', 'issues/create-comment', 'issues/list-comments', 'issues/update-comment']);
  });

  it('an identical plan leaves the comment alone (no PATCH)', async () => {
    const pr = nextPr++;
    const plan = await planFile('same.json', typicalPlan());
    expect(await runGitHubCli(['comment', '--plan', plan, '--repo', REPO, '--pr', String(pr)], io())).toBe(0);
    const again = io();
    expect(await runGitHubCli(['comment', '--plan', plan, '--repo', REPO, '--pr', String(pr)], again)).toBe(0);
    expect(again.out.join('')).toMatch(/plan comment unchanged/);
    expect(github.exchanges.filter((exchange) => exchange.operationId === 'issues/update-comment')).toEqual([]);
  });

  it('finds its comment past the first page of a long discussion', async () => {
    const pr = nextPr++;
    const octokit = createGitHubClient({ token: TOKEN, baseUrl: github.url, retry: FAST_RETRY });
    const first = await upsertStickyComment(octokit, { owner: 'octo', repo: 'fleet', number: pr }, PLAN_COMMENT_MARKER, `${PLAN_COMMENT_MARKER}\nfirst`);
    for (let index = 0; index < 150; index += 1) github.seedComment(REPO, pr, `comment ${index}`, { login: 'alice', type: 'User' });
    const second = await upsertStickyComment(octokit, { owner: 'octo', repo: 'fleet', number: pr }, PLAN_COMMENT_MARKER, `${PLAN_COMMENT_MARKER}\nsecond`);
    expect(second).toMatchObject({ action: 'updated', id: first.id });
    expect(github.commentsOn(REPO, pr).filter((comment) => comment.body.startsWith(PLAN_COMMENT_MARKER))).toHaveLength(1);
  });

  it('finds its comment on a later page when it is not the first comment', async () => {
    const pr = nextPr++;
    for (let index = 0; index < 120; index += 1) github.seedComment(REPO, pr, `comment ${index}`, { login: 'alice', type: 'User' });
    const octokit = createGitHubClient({ token: TOKEN, baseUrl: github.url, retry: FAST_RETRY });
    const pull = { owner: 'octo', repo: 'fleet', number: pr };
    const created = await upsertStickyComment(octokit, pull, PLAN_COMMENT_MARKER, `${PLAN_COMMENT_MARKER}\nfirst`);
    const updated = await upsertStickyComment(octokit, pull, PLAN_COMMENT_MARKER, `${PLAN_COMMENT_MARKER}\nsecond`);
    expect(created.action).toBe('created');
    expect(updated).toMatchObject({ action: 'updated', id: created.id });
    const lists = github.exchanges.filter((exchange) => exchange.operationId === 'issues/list-comments');
    expect(lists.length).toBe(4); // two pages per run
  });

  it('a comment quoting the marker is not mistaken for the sticky one', async () => {
    const pr = nextPr++;
    github.seedComment(REPO, pr, `> ${PLAN_COMMENT_MARKER}\n> quoted plan\n\nwhy is this deleting legacy?`, { login: 'alice', type: 'User' });
    const octokit = createGitHubClient({ token: TOKEN, baseUrl: github.url, retry: FAST_RETRY });
    const result = await upsertStickyComment(octokit, { owner: 'octo', repo: 'fleet', number: pr }, PLAN_COMMENT_MARKER, `${PLAN_COMMENT_MARKER}\nplan`);
    expect(result.action).toBe('created');
    expect(github.commentsOn(REPO, pr)[0]?.body).toMatch(/^> /);
  });
});

describe('plan comment: what it says', () => {
  it('a plan with errors renders them, each with its file and key', async () => {
    const pr = nextPr++;
    const plan = await planFile(
      'errors.json',
      reconcilerPlan({
        services: [{ service: 'orders', status: 'update', declared: '1.2.0', deployed: '1.2.0' }],
        errors: [
          { service: 'orders', message: 'same version 1.2.0, different content: bump the version in services/orders/package.json' },
          { file: 'services/users/wrangler.toml', key: 'routes[0].pattern', message: 'route users.example.com/* is also declared by accounts' },
        ],
      }),
    );
    const run = io();
    expect(await runGitHubCli(['comment', '--plan', plan, '--repo', REPO, '--pr', String(pr), '--exit-code', '1'], run)).toBe(0);
    const body = github.commentsOn(REPO, pr)[0]?.body ?? '';
    expect(body).toContain('**The plan failed** with 2 errors');
    expect(body).toContain('- `orders`: same version 1.2.0, different content: bump the version in services/orders/package.json');
    expect(body).toContain('- `services/users/wrangler.toml routes[0].pattern`: route users.example.com/\\* is also declared by accounts');
  });

  it('a plan that wrote no file still comments, with the exit code', async () => {
    const pr = nextPr++;
    const run = io();
    expect(await runGitHubCli(['comment', '--plan', join(dir, 'missing.json'), '--repo', REPO, '--pr', String(pr), '--exit-code', '1'], run)).toBe(0);
    expect(github.commentsOn(REPO, pr)[0]?.body).toMatch(/the plan wrote no .*missing\.json \(plan exited with 1: error\)/);
  });

  it('a huge plan is truncated below GitHub\'s 65536-character limit, with a note, and GitHub accepts it', async () => {
    const pr = nextPr++;
    const services = Array.from({ length: 400 }, (_unused, index) => ({ service: `service-${index}`, status: 'update' as const, declared: '1.0.1', deployed: '1.0.0' }));
    const actions: Action[] = services.flatMap(({ service }) =>
      Array.from({ length: 5 }, (_unused, route): Action => ({ kind: 'create-route', service, zoneId: 'z1', zoneName: 'example.com', pattern: `${service}.example.com/v${route}/*`, reason: `route declared in git (${'x'.repeat(40)})` })),
    );
    const plan = await planFile('huge.json', reconcilerPlan({ services, actions }));
    expect(await runGitHubCli(['comment', '--plan', plan, '--repo', REPO, '--pr', String(pr)], io({ GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: REPO, GITHUB_RUN_ID: '42' }))).toBe(0);
    const body = github.commentsOn(REPO, pr)[0]?.body ?? '';
    expect(body.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(body.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT - 2_000);
    expect(body).toContain('**Plan:** 0 to create, 400 to update, 0 to delete, 0 unchanged.');
    expect(body).toMatch(/Truncated to fit GitHub's 65536-character comment limit: \d+ actions, \d+ more services not shown\. The full plan is in the \[workflow run log\]\(https:\/\/github\.com\/octo\/fleet\/actions\/runs\/42\)/);
    expect(body.trimEnd().endsWith('</sub>')).toBe(true);
  });

  it('the fake refuses an untruncated body over the limit, as GitHub does', async () => {
    const octokit = createGitHubClient({ token: TOKEN, baseUrl: github.url, retry: FAST_RETRY });
    await expect(
      octokit.rest.issues.createComment({ owner: 'octo', repo: 'fleet', issue_number: 49, body: 'x'.repeat(GITHUB_COMMENT_LIMIT + 1) }),
    ).rejects.toMatchObject({ status: 422 });
  });
});

describe('plan comment: requests GitHub does not document fail the test', () => {
  it('a create-comment request without `body` is refused with 422', async () => {
    const octokit = createGitHubClient({ token: TOKEN, baseUrl: github.url, retry: FAST_RETRY });
    await expect(octokit.rest.issues.createComment({ owner: 'octo', repo: 'fleet', issue_number: 48, body: 42 as unknown as string })).rejects.toMatchObject({
      status: 422,
      message: expect.stringMatching(/body\/body: must be string/),
    });
    github.exchanges.length = 0; // deliberately invalid: not a leak into the afterEach check
    // A plain-string route: Octokit's types would (rightly) refuse a create-comment without `body`.
    const createComment: string = 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments';
    await expect(octokit.request(createComment, { owner: 'octo', repo: 'fleet', issue_number: 48 })).rejects.toMatchObject({
      status: 422,
      message: expect.stringMatching(/body: a JSON request body is required/),
    });
    expect(github.exchanges.at(-1)?.requestViolations).toEqual([{ where: 'body', message: 'a JSON request body is required' }]);
    github.exchanges.length = 0; // deliberately invalid: not a leak into the afterEach check
  });
});

describe('plan comment: retries', () => {
  it('retries 502 and a secondary rate limit (honouring retry-after), then succeeds', async () => {
    const pr = nextPr++;
    github.injectFaults({ status: 502 }, { status: 403, secondaryRateLimit: true, retryAfterSeconds: 1 }, { status: 500 });
    const plan = await planFile('retry.json', typicalPlan());
    const run = io();
    const started = performance.now();
    expect(await runGitHubCli(['comment', '--plan', plan, '--repo', REPO, '--pr', String(pr)], run)).toBe(0);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(github.commentsOn(REPO, pr)).toHaveLength(1);
    expect(run.err.join('')).toMatch(/answered 502; retry 1 of 4\n.*answered 403; retry 2 of 4, after retry-after 1s\n.*answered 500; retry 3 of 4\n/);
  });

  it('retries a dropped connection, saying no answer came', async () => {
    const pr = nextPr++;
    github.injectFaults({ dropConnection: true });
    const run = io();
    expect(await runGitHubCli(['comment', '--plan', await planFile('dropped.json', typicalPlan()), '--repo', REPO, '--pr', String(pr)], run)).toBe(0);
    expect(run.err.join('')).toMatch(/GitHub API did not answer \(.+\); retry 1 of 4/);
    expect(github.commentsOn(REPO, pr)).toHaveLength(1);
  });

  it('gives up after a bounded number of retries with an actionable error', async () => {
    const pr = nextPr++;
    github.injectFaults(...Array.from({ length: 10 }, () => ({ status: 503 as const })));
    const plan = await planFile('retry-fail.json', typicalPlan());
    const run = io();
    run.retry = { ...FAST_RETRY, retries: 2 };
    expect(await runGitHubCli(['comment', '--plan', plan, '--repo', REPO, '--pr', String(pr)], run)).toBe(1);
    expect(run.err.join('')).toMatch(/error: GitHub API GET \/repos\/octo\/fleet\/issues\/\d+\/comments failed with 503/);
    expect(github.exchanges).toHaveLength(3);
    github.clearFaults();
  });

  it('does not retry a 404 (wrong repository or pull request)', async () => {
    const run = io();
    expect(await runGitHubCli(['comment', '--plan', await planFile('nf.json', typicalPlan()), '--repo', 'octo/missing', '--pr', '3'], run)).toBe(1);
    expect(run.err.join('')).toMatch(/failed with 404: Not Found .*no such repository or pull request/);
    expect(github.exchanges).toHaveLength(1);
  });
});
