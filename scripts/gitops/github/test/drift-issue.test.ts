/**
 * The drift issue and the preview section through the GitHub CLI, against the OpenAPI-checked
 * stand-in (no edge): the cases the workflow test (pr-path.test.ts) does not reach.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../fleet/testing.ts';
import { runGitHubCli, type CliIo } from '../cli.ts';
import { FakeGitHub } from './support/fake-github.ts';
import { reconcilerPlan, typicalPlan } from './support/plans.ts';

const TOKEN = 'ghs_driftIssueToken_0000000001';
const REPO = 'octo/fleet';
let github: FakeGitHub;
let dir: string;

beforeAll(async () => {
  github = new FakeGitHub({ tokens: { [TOKEN]: { login: 'github-actions[bot]', type: 'Bot' } }, repos: { [REPO]: [3] } });
  await github.start();
  dir = await mkdtemp(join(tmpdir(), 'edgeops-drift-issue-'));
});
afterAll(async () => {
  await github.stop();
  await rm(dir, { recursive: true, force: true });
});

async function cli(args: string[]): Promise<{ code: number; output: string }> {
  const chunks: string[] = [];
  const io: CliIo = {
    env: { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: github.url, GITHUB_REPOSITORY: REPO, GITHUB_SERVER_URL: 'https://github.com', GITHUB_RUN_ID: '99', GITHUB_SHA: 'c'.repeat(40) },
    stdout: (text) => chunks.push(text),
    stderr: (text) => chunks.push(text),
  };
  return { code: await runGitHubCli(args, io), output: chunks.join('') };
}

async function planFile(name: string, plan: unknown): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, JSON.stringify(plan));
  return file;
}

describe('the drift issue of an environment', () => {
  it('is opened once, updated with a newer plan, left alone on a plan error, closed with a comment when clean; other environments keep their own', async () => {
    const first = await planFile('first.json', typicalPlan());
    const second = await planFile('second.json', reconcilerPlan({ services: [{ service: 'users', status: 'update', declared: '1.0.0', deployed: '1.0.0' }], actions: [{ kind: 'create-route', service: 'users', zoneId: 'z1', zoneName: 'example.com', pattern: 'api.staging.example.com/users*', reason: 'route declared in git' }] }));

    expect(await cli(['drift', '--env', 'staging', '--plan', first, '--exit-code', '2'])).toMatchObject({ code: 0, output: expect.stringContaining('drift issue of staging: opened') });
    expect(await cli(['drift', '--env', 'staging', '--plan', first, '--exit-code', '2'])).toMatchObject({ code: 0, output: expect.stringContaining('unchanged') });
    expect(await cli(['drift', '--env', 'staging', '--plan', second, '--exit-code', '2'])).toMatchObject({ code: 0, output: expect.stringContaining('updated') });
    expect(await cli(['drift', '--env', 'production', '--plan', first, '--exit-code', '2'])).toMatchObject({ code: 0, output: expect.stringContaining('drift issue of production: opened') });
    expect(await cli(['drift', '--env', 'staging', '--plan', join(dir, 'missing.json'), '--exit-code', '1'])).toMatchObject({ code: 0, output: expect.stringContaining('its drift issue is left as it is') });

    let issues = github.issuesOf(REPO);
    expect(issues.map((issue) => [issue.title, issue.state, issue.labels])).toEqual([
      ['Drift in staging: Cloudflare no longer matches git', 'open', ['drift']],
      ['Drift in production: Cloudflare no longer matches git', 'open', ['drift']],
    ]);
    expect(issues[0]?.body).toContain('api.staging.example.com/users*');
    expect(issues[0]?.body).not.toContain('users.example.com/*');

    const clean = await planFile('clean.json', reconcilerPlan());
    expect(await cli(['drift', '--env', 'staging', '--plan', clean, '--exit-code', '0'])).toMatchObject({ code: 0, output: expect.stringContaining('closed') });
    expect(await cli(['drift', '--env', 'staging', '--plan', clean, '--exit-code', '0'])).toMatchObject({ code: 0, output: expect.stringContaining('drift issue of staging: none') });
    issues = github.issuesOf(REPO);
    expect(issues.map((issue) => [issue.title, issue.state, issue.comments])).toEqual([
      ['Drift in staging: Cloudflare no longer matches git', 'closed', ['`staging` matches git again according to [this drift check](https://github.com/octo/fleet/actions/runs/99): closing.']],
      ['Drift in production: Cloudflare no longer matches git', 'open', []],
    ]);
    // A pull request's plan comment is an issue comment too: the drift issues never touch it.
    expect(github.commentsOn(REPO, 3)).toEqual([]);
    expect(github.violations()).toEqual([]);
  });

  it('the drift command needs a token and a known exit code', async () => {
    const plan = await planFile('any.json', reconcilerPlan());
    expect(await cli(['drift', '--env', 'staging', '--plan', plan, '--exit-code', 'x'])).toMatchObject({ code: 1, output: expect.stringContaining("expected the plan step's exit code") });
    const chunks: string[] = [];
    const code = await runGitHubCli(['drift', '--env', 'staging', '--plan', plan, '--exit-code', '2'], { env: { GITHUB_REPOSITORY: REPO }, stdout: (text) => chunks.push(text), stderr: (text) => chunks.push(text) });
    expect(code).toBe(1);
    expect(chunks.join('')).toContain('GITHUB_TOKEN is not set');
  });
});

describe('the preview in the plan comment', () => {
  it('a failed preview says so and links the run; a bad preview file names itself', async () => {
    const plan = await planFile('plan.json', typicalPlan());
    expect(await cli(['comment', '--plan', plan, '--pr', '3', '--preview-result', 'failure'])).toMatchObject({ code: 0 });
    const [comment] = github.commentsOn(REPO, 3);
    expect(comment?.body).toContain('#### Preview\n\n**The preview did not deploy** (failure); the [workflow run](https://github.com/octo/fleet/actions/runs/99) log says why.');

    const empty = join(dir, 'empty-preview.json');
    await writeFile(empty, JSON.stringify({ environment: 'pr-3', services: [] }));
    expect(await cli(['comment', '--plan', plan, '--pr', '3', '--preview', empty])).toMatchObject({ code: 0 });
    expect(github.commentsOn(REPO, 3)[0]?.body).toContain('#### Preview `pr-3`\n\nThis pull request changes no service: nothing to preview.');

    const bad = join(dir, 'bad-preview.json');
    await writeFile(bad, JSON.stringify({ plan: {} }));
    const refused = await cli(['comment', '--plan', plan, '--pr', '3', '--preview', bad]);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain(`${bad} is not the output of \`apply --json\`: environment:`);
    expect(await cli(['comment', '--plan', plan, '--pr', '3', '--preview-result', 'done'])).toMatchObject({ code: 1, output: expect.stringContaining("expected the preview job's result") });
  });
});

describe('the environments command', () => {
  it('lists the top level and every declared environment of the root wrangler.toml, as JSON', async () => {
    expect(await cli(['environments', '--root', REPO_ROOT])).toEqual({ code: 0, output: '["production","staging"]\n' });
  });
});
