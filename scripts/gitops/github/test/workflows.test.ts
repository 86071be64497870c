import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGitHubCli } from '../cli.ts';

/**
 * The workflows call into the repository: npm scripts, the comment CLI, secrets the docs name.
 * No YAML parser is installed (and none is added), so these read the files as text; the YAML
 * itself was checked with python3's yaml.safe_load (see docs/ci.md).
 */

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const WORKFLOWS = join(ROOT, '.github', 'workflows');
const workflows = new Map<string, string>();
let scripts: Record<string, string>;
let scratch: string;

beforeAll(async () => {
  for (const name of (await readdir(WORKFLOWS)).filter((file) => file.endsWith('.yml'))) {
    workflows.set(name, await readFile(join(WORKFLOWS, name), 'utf8'));
  }
  scripts = (JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  scratch = await mkdtemp(join(tmpdir(), 'edgeops-workflows-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

function all(pattern: RegExp): Array<{ workflow: string; match: RegExpExecArray }> {
  return [...workflows].flatMap(([workflow, text]) => [...text.matchAll(new RegExp(pattern.source, 'g'))].map((match) => ({ workflow, match })));
}

/** The `run: |` block of the step with this id, de-indented (what the runner hands to bash). */
function runBlock(text: string, stepId: string): string {
  const lines = text.split('\n');
  const idLine = lines.findIndex((line) => line.trim() === `id: ${stepId}`);
  const runLine = lines.findIndex((line, index) => index > idLine && /^\s*run: \|\s*$/.test(line));
  if (idLine < 0 || runLine < 0) throw new Error(`no step ${stepId} with a run: | block`);
  const indent = (lines[runLine]?.match(/^\s*/)?.[0].length ?? 0) + 2;
  const body: string[] = [];
  for (const line of lines.slice(runLine + 1)) {
    if (line.trim() !== '' && (line.match(/^\s*/)?.[0].length ?? 0) < indent) break;
    body.push(line.slice(indent));
  }
  return body.join('\n');
}

describe('workflows', () => {
  it('there are the three workflows, each sending no wrangler metrics', () => {
    expect([...workflows.keys()].sort()).toEqual(['ci.yml', 'deploy.yml', 'drift.yml']);
    for (const [name, text] of workflows) expect(text, name).toMatch(/^env:\n {2}WRANGLER_SEND_METRICS: "false"$/m);
  });

  it('every `npm run X` a workflow calls is a script in the root package.json', () => {
    const calls = all(/npm run ([\w:.-]+)/);
    expect(calls.map(({ match }) => match[1])).toEqual(expect.arrayContaining(['plan', 'apply']));
    for (const { workflow, match } of calls) expect(scripts, `${workflow}: npm run ${match[1]}`).toHaveProperty([match[1] ?? '']);
  });

  it('every script file a workflow runs exists', () => {
    const files = all(/(?:tsx|node)\s+(scripts\/\S+\.ts)/);
    expect(files.length).toBeGreaterThan(0);
    for (const { workflow, match } of files) expect(existsSync(join(ROOT, match[1] ?? '')), `${workflow}: ${match[1]}`).toBe(true);
  });

  it('the comment CLI knows every subcommand and option the workflows pass it', async () => {
    const invocations = all(/scripts\/gitops\/github\/main\.ts (\w+)([^\n>]*)/);
    expect(invocations.map(({ match }) => match[1]).sort()).toEqual(['comment', 'render']);
    for (const { workflow, match } of invocations) {
      const help: string[] = [];
      expect(await runGitHubCli([match[1] ?? '', '--help'], { env: {}, stdout: (text) => help.push(text), stderr: (text) => help.push(text) })).toBe(0);
      for (const option of (match[2] ?? '').match(/--[\w-]+/g) ?? []) expect(help.join(''), `${workflow}: ${match[1]} ${option}`).toContain(`${option} `);
    }
  });

  it('every secret a workflow reads is documented in docs/ci.md', async () => {
    const docs = await readFile(join(ROOT, 'docs', 'ci.md'), 'utf8');
    const secrets = new Set(all(/secrets\.([A-Z_]+)/).map(({ match }) => match[1] ?? ''));
    expect([...secrets].sort()).toEqual(['CLOUDFLARE_ACCOUNT_ID', 'CLOUDFLARE_API_TOKEN', 'GITHUB_TOKEN']);
    for (const secret of secrets) expect(docs, secret).toContain(`\`${secret}\``);
  });

  it('deploy applies with --yes in the production environment, one at a time, never cancelled', () => {
    const deploy = workflows.get('deploy.yml') ?? '';
    expect(deploy).toMatch(/^ {4}environment: production$/m);
    expect(deploy).toMatch(/^ {4}concurrency:\n {6}group: deploy\n {6}cancel-in-progress: false$/m);
    expect(deploy).toMatch(/^ {4}needs: test$/m);
    expect(deploy).toContain('npm run apply -- --target cloudflare --yes');
  });

  it('the PR comment job may write pull requests and nothing else', () => {
    expect(workflows.get('ci.yml')).toMatch(/^ {4}permissions:\n {6}contents: read\n {6}pull-requests: write\n/m);
    for (const [name, text] of workflows) expect(text, name).toMatch(/^permissions:\n {2}contents: read$/m);
  });
});

describe('workflows: the plan step\'s exit-code handling, run in bash as the runner does', () => {
  const cases: Array<{ workflow: string; code: number }> = [
    { workflow: 'ci.yml', code: 0 },
    { workflow: 'ci.yml', code: 1 },
    { workflow: 'ci.yml', code: 2 },
    { workflow: 'drift.yml', code: 0 },
    { workflow: 'drift.yml', code: 1 },
    { workflow: 'drift.yml', code: 2 },
  ];
  for (const { workflow, code } of cases) {
    it(`${workflow}: plan exiting ${code} leaves the step green and records exit_code=${code}`, async () => {
      const bin = await mkdtemp(join(scratch, 'bin-'));
      // A stand-in for npm: the step is what is under test here, not the reconciler.
      await writeFile(join(bin, 'npm'), `#!/bin/sh\necho "npm $*"\nexit ${code}\n`);
      await chmod(join(bin, 'npm'), 0o755);
      const output = join(bin, 'github_output');
      await writeFile(output, '');
      const script = join(bin, 'step.sh');
      await writeFile(script, runBlock(workflows.get(workflow) ?? '', 'plan'));
      const { stdout } = await promisify(execFile)('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
        env: { PATH: `${bin}:${process.env.PATH ?? ''}`, GITHUB_OUTPUT: output },
      });
      expect(stdout).toMatch(/npm run plan -- --target cloudflare .*--out plan\.json/);
      expect(await readFile(output, 'utf8')).toBe(`exit_code=${code}\n`);
    });
  }
});
