/**
 * Runs a workflow's jobs the way a GitHub-hosted runner does, on this machine: jobs in `needs`
 * order, job and step `if:` conditions, `${{ }}` expressions (evaluated by GitHub's own expression
 * library, `@actions/expressions`), `env:` at workflow, job and step level, `strategy.matrix`,
 * `$GITHUB_OUTPUT` / `$GITHUB_ENV` / `$GITHUB_STEP_SUMMARY` files, step outcomes, job outputs and
 * `continue-on-error`. Each `run:` step runs in bash with the runner's default flags
 * (`bash --noprofile --norc -eo pipefail`). `uses:` steps (checkout, setup-node, cache) are not run:
 * the working directory is already the checked-out repository with its node_modules.
 *
 * What it does not do: GitHub's scheduling (concurrency groups, environment protection rules,
 * approvals), which the tests assert on the parsed YAML instead. Sources: GitHub's workflow syntax
 * reference (docs.github.com/actions/writing-workflows/workflow-syntax-for-github-actions), "Status
 * check functions" and "Workflow commands" (GITHUB_OUTPUT, GITHUB_ENV) pages.
 */
import { execFile, spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import { parse } from 'yaml';
import type * as z from 'zod';
import { WorkflowFile, WorkflowJob as WorkflowJobSchema, WorkflowStep as WorkflowStepSchema } from './workflow-schema.ts';
import { signalGroup } from '../../../../cli/index.ts';
import { copyExampleFleet, REPO_ROOT } from '../../../../fleet/testing.ts';

const execFileAsync = promisify(execFile);

const WORKFLOWS = fileURLToPath(new URL('../../../../../.github/workflows/', import.meta.url));

export type WorkflowJob = z.infer<typeof WorkflowJobSchema>;
export type WorkflowStep = z.infer<typeof WorkflowStepSchema>;
type Result = 'success' | 'failure' | 'skipped';

export interface StepRun {
  name: string;
  id?: string;
  /** `run` for a shell step, `uses` for an action step (not run here). */
  kind: 'run' | 'uses';
  outcome: Result;
  conclusion: Result;
  exitCode?: number;
  output: string;
}

export interface JobRun {
  /** The job's id, with the matrix values for a matrix job: `drift (staging)`. */
  name: string;
  id: string;
  matrix?: Record<string, unknown>;
  result: Result;
  environment?: { name: string; url?: string };
  steps: StepRun[];
  outputs: Record<string, string>;
  summary: string;
}

export interface WorkflowEvent {
  /** `push`, `pull_request`, `schedule`, `workflow_dispatch` … */
  name: string;
  /** The webhook payload (written to GITHUB_EVENT_PATH, and `github.event` in expressions). */
  payload: Record<string, unknown>;
}

export interface RunWorkflowOptions {
  /** The file name in .github/workflows (or an absolute path). */
  workflow: string;
  event: WorkflowEvent;
  /** The checked-out repository the steps run in. */
  cwd: string;
  /** The runner's environment for every step (PATH, HOME, CLOUDFLARE_API_BASE_URL …). */
  env: Record<string, string>;
  secrets?: Record<string, string>;
  vars?: Record<string, string>;
  /** `github` context fields: repository, sha, ref, run_id … (event_name and event are filled in). */
  github?: Record<string, unknown>;
  /** Jobs that count as already run with this result, not run here (e.g. `test`: it is this suite). */
  done?: Record<string, Result>;
  /** `run:` steps not to run (e.g. `npm ci`: the copy is installed); they count as successful. */
  skipRun?: (run: string) => boolean;
}

export interface WorkflowRun {
  /** The jobs in the order they ran (skipped jobs included). */
  jobs: JobRun[];
  job(id: string): JobRun[];
}

/** Loads a workflow file, typed. */
export async function loadWorkflow(file: string): Promise<z.infer<typeof WorkflowFile>> {
  return WorkflowFile.parse(parse(await readFile(isAbsolute(file) ? file : join(WORKFLOWS, file), 'utf8')));
}

/** Runs every job of `options.workflow` that the event triggers, in `needs` order. */
export async function runWorkflow(options: RunWorkflowOptions): Promise<WorkflowRun> {
  const workflow = await loadWorkflow(options.workflow);
  assertTriggered(options.workflow, workflow.on, options.event);
  const temp = await mkdtemp(join(tmpdir(), 'workflow-run-'));
  try {
    const eventPath = join(temp, 'event.json');
    await writeFile(eventPath, JSON.stringify(options.event.payload));
    const github = { ...options.github, event_name: options.event.name, event: options.event.payload, workspace: options.cwd };
    const results = new Map<string, { result: Result; outputs: Record<string, string> }>();
    for (const [id, result] of Object.entries(options.done ?? {})) results.set(id, { result, outputs: {} });
    const runs: JobRun[] = [];
    for (const id of jobOrder(workflow.jobs)) {
      if (results.has(id)) continue;
      const job = workflow.jobs[id] as WorkflowJob;
      const needs = toList(job.needs);
      const needsContext = Object.fromEntries(needs.map((need) => [need, results.get(need) ?? { result: 'skipped', outputs: {} }]));
      const needsOk = needs.every((need) => results.get(need)?.result === 'success');
      const base = { github, needs: needsContext, vars: options.vars ?? {}, inputs: {} };
      const status = { success: needsOk, failure: needs.some((need) => results.get(need)?.result === 'failure') };
      const matrices = expandMatrix(job.strategy?.matrix, base);
      const jobRuns: JobRun[] = [];
      for (const matrix of matrices) {
        const context = { ...base, matrix: matrix ?? {} };
        const name = matrix ? `${id} (${Object.values(matrix).map(String).join(', ')})` : id;
        if (!evaluateCondition(job.if, context, status)) {
          jobRuns.push({ name, id, ...(matrix ? { matrix } : {}), result: 'skipped', steps: [], outputs: {}, summary: '' });
          continue;
        }
        jobRuns.push(await runJob(id, name, job, matrix, workflow.env ?? {}, context, options, temp, eventPath));
      }
      runs.push(...jobRuns);
      const result: Result = jobRuns.some((run) => run.result === 'failure') ? 'failure' : jobRuns.every((run) => run.result === 'skipped') ? 'skipped' : 'success';
      results.set(id, { result, outputs: Object.assign({}, ...jobRuns.map((run) => run.outputs)) as Record<string, string> });
    }
    return { jobs: runs, job: (id) => runs.filter((run) => run.id === id) };
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

async function runJob(
  id: string,
  name: string,
  job: WorkflowJob,
  matrix: Record<string, unknown> | undefined,
  workflowEnv: Record<string, string | number | boolean>,
  context: Record<string, unknown>,
  options: RunWorkflowOptions,
  temp: string,
  eventPath: string,
): Promise<JobRun> {
  const steps: StepRun[] = [];
  const stepsContext: Record<string, { outputs: Record<string, string>; outcome: Result; conclusion: Result }> = {};
  const secrets = options.secrets ?? {};
  let env: Record<string, string> = {};
  let failed = false;
  let summary = '';
  const environment = job.environment === undefined ? undefined : typeof job.environment === 'string' ? { name: job.environment } : job.environment;
  const jobContext = () => ({ ...context, secrets, steps: stepsContext, job: { status: failed ? 'failure' : 'success' }, runner: { os: 'Linux', temp } });
  env = stringValues(workflowEnv, { ...jobContext(), env });
  env = { ...env, ...stringValues(job.env ?? {}, { ...jobContext(), env }) };
  for (const [index, step] of job.steps.entries()) {
    const stepName = step.name ?? step.run?.split('\n')[0] ?? step.uses ?? `step ${index + 1}`;
    const runsIf = evaluateCondition(step.if, { ...jobContext(), env }, { success: !failed, failure: failed });
    if (!runsIf) {
      steps.push({ name: stepName, ...(step.id ? { id: step.id } : {}), kind: step.run !== undefined ? 'run' : 'uses', outcome: 'skipped', conclusion: 'skipped', output: '' });
      if (step.id) stepsContext[step.id] = { outputs: {}, outcome: 'skipped', conclusion: 'skipped' };
      continue;
    }
    if (step.run === undefined || options.skipRun?.(step.run)) {
      steps.push({ name: stepName, ...(step.id ? { id: step.id } : {}), kind: step.run === undefined ? 'uses' : 'run', outcome: 'success', conclusion: 'success', output: '' });
      if (step.id) stepsContext[step.id] = { outputs: {}, outcome: 'success', conclusion: 'success' };
      continue;
    }
    const stepEnv = { ...env, ...stringValues(step.env ?? {}, { ...jobContext(), env }) };
    const script = interpolate(step.run, { ...jobContext(), env: stepEnv });
    const files = { output: join(temp, `${id}-${index}-output`), env: join(temp, `${id}-${index}-env`), summary: join(temp, `${id}-${index}-summary`) };
    await Promise.all(Object.values(files).map((file) => writeFile(file, '')));
    const scriptFile = join(temp, `${id}-${index}.sh`);
    await writeFile(scriptFile, script);
    const ran = await runBash(scriptFile, step['working-directory'] ? join(options.cwd, step['working-directory']) : options.cwd, {
      ...options.env,
      ...stepEnv,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: options.event.name,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_WORKSPACE: options.cwd,
      GITHUB_JOB: id,
      GITHUB_OUTPUT: files.output,
      GITHUB_ENV: files.env,
      GITHUB_STEP_SUMMARY: files.summary,
      ...githubEnv(context),
    }, (job['timeout-minutes'] ?? 360) * 60_000);
    const outputs = parseCommandFile(await readFile(files.output, 'utf8'));
    env = { ...env, ...parseCommandFile(await readFile(files.env, 'utf8')) };
    summary += await readFile(files.summary, 'utf8');
    const outcome: Result = ran.code === 0 ? 'success' : 'failure';
    const continueOnError = step['continue-on-error'] === true || step['continue-on-error'] === 'true';
    const conclusion: Result = outcome === 'failure' && continueOnError ? 'success' : outcome;
    if (conclusion === 'failure') failed = true;
    steps.push({ name: stepName, ...(step.id ? { id: step.id } : {}), kind: 'run', outcome, conclusion, exitCode: ran.code, output: ran.output });
    if (step.id) stepsContext[step.id] = { outputs, outcome, conclusion };
  }
  const outputs = failed ? {} : stringValues(job.outputs ?? {}, { ...jobContext(), env });
  const url = environment?.url === undefined ? undefined : interpolate(environment.url, { ...jobContext(), env });
  return {
    name,
    id,
    ...(matrix ? { matrix } : {}),
    result: failed ? 'failure' : 'success',
    ...(environment ? { environment: { name: interpolate(environment.name, { ...jobContext(), env }), ...(url !== undefined ? { url } : {}) } } : {}),
    steps,
    outputs,
    summary,
  };
}

/** The GITHUB_* variables a runner sets from the `github` context. */
function githubEnv(context: Record<string, unknown>): Record<string, string> {
  const github = (context.github ?? {}) as Record<string, unknown>;
  const fields: Record<string, string> = { repository: 'GITHUB_REPOSITORY', sha: 'GITHUB_SHA', ref: 'GITHUB_REF', ref_name: 'GITHUB_REF_NAME', run_id: 'GITHUB_RUN_ID', server_url: 'GITHUB_SERVER_URL', api_url: 'GITHUB_API_URL', base_ref: 'GITHUB_BASE_REF', head_ref: 'GITHUB_HEAD_REF', actor: 'GITHUB_ACTOR' };
  return Object.fromEntries(Object.entries(fields).flatMap(([field, variable]) => (github[field] === undefined ? [] : [[variable, String(github[field])]])));
}

function runBash(file: string, cwd: string, env: Record<string, string>, timeoutMs: number): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      output += `\n[workflow-run] step timed out after ${timeoutMs / 60_000} min\n`;
      signalGroup(child.pid as number, 'SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output });
    });
  });
}

/** `name=value` lines and `name<<DELIMITER … DELIMITER` blocks, as GITHUB_OUTPUT and GITHUB_ENV hold them. */
export function parseCommandFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, key, delimiter] = heredoc as unknown as [string, string, string];
      const body: string[] = [];
      for (index++; index < lines.length && lines[index] !== delimiter; index++) body.push(lines[index] as string);
      values[key] = body.join('\n');
      continue;
    }
    const equals = line.indexOf('=');
    if (equals > 0) values[line.slice(0, equals)] = line.slice(equals + 1);
  }
  return values;
}

/** Jobs sorted so that each comes after the jobs it needs (file order otherwise). */
function jobOrder(jobs: Record<string, WorkflowJob>): string[] {
  const order: string[] = [];
  const visit = (id: string, path: string[]) => {
    if (order.includes(id)) return;
    if (path.includes(id)) throw new Error(`workflow: jobs need each other in a cycle: ${[...path, id].join(' → ')}`);
    const job = jobs[id];
    if (!job) throw new Error(`workflow: job ${path.at(-1)} needs ${id}, which does not exist`);
    for (const need of toList(job.needs)) visit(need, [...path, id]);
    order.push(id);
  };
  for (const id of Object.keys(jobs)) visit(id, []);
  return order;
}

function toList(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : typeof value === 'string' ? [value] : value;
}

/** The combinations of a `strategy.matrix` (lists and `include` entries; `${{ }}` values evaluated). */
function expandMatrix(matrix: Record<string, unknown> | undefined, context: Record<string, unknown>): (Record<string, unknown> | undefined)[] {
  if (!matrix) return [undefined];
  const resolved = Object.fromEntries(
    Object.entries(matrix).map(([key, value]) => [key, typeof value === 'string' && /^\$\{\{[\s\S]*\}\}$/.test(value.trim()) ? evaluate(value.trim().slice(3, -2), context) : value]),
  );
  const { include, exclude, ...axes } = resolved as Record<string, unknown> & { include?: Record<string, unknown>[]; exclude?: Record<string, unknown>[] };
  let combinations: Record<string, unknown>[] = [{}];
  for (const [key, values] of Object.entries(axes)) {
    if (!Array.isArray(values)) throw new Error(`workflow: matrix.${key} is not a list`);
    combinations = combinations.flatMap((combination) => values.map((value: unknown) => ({ ...combination, [key]: value })));
  }
  if (exclude) combinations = combinations.filter((combination) => !exclude.some((entry) => Object.entries(entry).every(([key, value]) => combination[key] === value)));
  if (Object.keys(axes).length === 0) combinations = [];
  for (const entry of include ?? []) combinations.push(entry);
  return combinations;
}

/** An `if:` condition: a status function is implied (`success()`) unless the expression calls one. */
function evaluateCondition(condition: string | boolean | undefined, context: Record<string, unknown>, status: { success: boolean; failure: boolean }): boolean {
  if (condition === undefined) return status.success;
  if (typeof condition === 'boolean') return condition && status.success;
  const text = condition.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1');
  const callsStatus = /\b(success|failure|always|cancelled)\s*\(/.test(text);
  const value = truthy(evaluate(text, context, status));
  return callsStatus ? value : value && status.success;
}

/** `${{ expr }}` inside a string, each replaced by its value as a string. */
export function interpolate(text: string, context: Record<string, unknown>): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression: string) => asString(evaluate(expression, context)));
}

function stringValues(values: Record<string, string | number | boolean>, context: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, typeof value === 'string' ? interpolate(value, context) : String(value)]));
}

const STATUS_FUNCTIONS = ['success', 'failure', 'always', 'cancelled'];

/** Evaluates one expression with GitHub's evaluator; the contexts are JSON values. */
export function evaluate(expression: string, context: Record<string, unknown>, status = { success: true, failure: false }): unknown {
  const lexed = new Lexer(expression).lex();
  const names = Object.keys(context);
  const functions = STATUS_FUNCTIONS.map((name) => ({ name, minArgs: 0, maxArgs: 0 }));
  const parsed = new Parser(lexed.tokens, names, functions).parse();
  const implementations = new Map(
    STATUS_FUNCTIONS.map((name) => [
      name,
      { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(name === 'always' ? true : name === 'cancelled' ? false : name === 'success' ? status.success : status.failure) },
    ]),
  );
  const dictionary = JSON.parse(JSON.stringify(context), data.reviver) as InstanceType<typeof data.Dictionary>;
  return JSON.parse(JSON.stringify(new Evaluator(parsed, dictionary, implementations).evaluate(), data.replacer) ?? 'null') as unknown;
}

function truthy(value: unknown): boolean {
  return !(value === false || value === null || value === undefined || value === 0 || value === '' || Number.isNaN(value));
}

function asString(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Fails when the workflow has no trigger for this event (or its branch/type filters exclude it). */
function assertTriggered(file: string, on: unknown, event: WorkflowEvent): void {
  const triggers = typeof on === 'string' ? { [on]: null } : Array.isArray(on) ? Object.fromEntries(on.map((name: string) => [name, null])) : (on as Record<string, unknown>);
  if (!(event.name in triggers)) throw new Error(`${file}: no trigger for the ${event.name} event (it has: ${Object.keys(triggers).join(', ')})`);
  const filter = (triggers[event.name] ?? {}) as { types?: string[]; branches?: string[] };
  const action = event.payload.action;
  if (event.name.startsWith('pull_request')) {
    const types = filter.types ?? ['opened', 'synchronize', 'reopened'];
    if (typeof action === 'string' && !types.includes(action)) throw new Error(`${file}: ${event.name} of type ${action} does not trigger it (types: ${types.join(', ')})`);
  }
  if (event.name === 'push' && filter.branches) {
    const ref = String(event.payload.ref ?? '');
    if (!filter.branches.some((branch) => ref === `refs/heads/${branch}`)) throw new Error(`${file}: a push to ${ref} does not trigger it (branches: ${filter.branches.join(', ')})`);
  }
}

/**
 * A checkout to run workflows in: the example fleet (root wrangler.toml, services) as a git
 * repository with one commit on `main`, plus package.json and links to this repository's scripts,
 * shared/, .github/ and node_modules, so `npm run plan|apply|…` and `npx tsx scripts/…` run as on a
 * runner; its `origin` remote holds that first commit as `main`. `commit` records the working tree
 * (a pull request's change, a merge) and returns its sha.
 */
export async function workflowCheckout(): Promise<{ dir: string; commit(message: string): Promise<string>; remove(): Promise<void> }> {
  const { rootDir, remove } = await copyExampleFleet();
  await cp(join(REPO_ROOT, 'package.json'), join(rootDir, 'package.json'));
  await symlink(join(REPO_ROOT, 'scripts'), join(rootDir, 'scripts'));
  await symlink(join(REPO_ROOT, '.github'), join(rootDir, '.github'));
  await writeFile(join(rootDir, '.gitignore'), 'node_modules\n.edge\n*.json.tmp\n');
  const git = (...args: string[]) => execFileAsync('git', args, { cwd: rootDir });
  await git('init', '--quiet', '--initial-branch=main');
  await git('config', 'user.email', 'ci@example.com');
  await git('config', 'user.name', 'ci');
  const commit = async (message: string) => {
    await git('add', '--all');
    await git('commit', '--quiet', '--allow-empty', '-m', message);
    return (await git('rev-parse', 'HEAD')).stdout.trim();
  };
  await commit('fleet');
  // `origin` holds main as it was first committed (the base a pull request is opened against), so
  // `git fetch origin main` works as on a runner; inside .git, so remove() takes it along.
  const origin = join(rootDir, '.git', 'test-origin.git');
  await git('clone', '--quiet', '--bare', rootDir, origin);
  await git('remote', 'add', 'origin', origin);
  return { dir: rootDir, commit, remove };
}
