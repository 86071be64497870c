/**
 * The GitOps reconciler's CLI: `plan`, `apply`, `status`, `teardown`, `rollout`, `smoke` (run through `npm run <command>`).
 * Exit codes: plan 0 = no changes, 2 = changes (or orphans only prune removes), 1 = error; apply and
 * status 0 = success, 1 = error; smoke 0 = every route answered as its contract says, 1 = a failure or error. With `--json`, stdout carries only the JSON document.
 */
import { realpathSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, formatIssue } from '../fleet/index.ts';
import { hasChanges, hasDifferences, type Target } from './plan/plan.ts';
import { renderPlan } from './report/plan-text.ts';
import { renderApplySummary } from './report/apply-text.ts';
import { serviceUrls } from './report/service-urls.ts';
import { consoleOutput, type Output } from './run/output.ts';
import { observeAndPlan, openSession, type SessionOptions } from './run/session.ts';
import { applySession, readPlanFile } from './run/apply.ts';
import { confirmOnTerminal } from './run/confirm.ts';
import { renderStatus, statusRows } from './run/status.ts';
import { teardownPreview } from './run/teardown.ts';
import { runRollouts } from './rollout/run.ts';
import { Duration } from './config/duration.ts';
import { DEFAULT_TRAFFIC_WINDOW, fleetTraffic } from './run/version-traffic.ts';
import { renderSmoke, runSmoke } from './smoke/index.ts';

/** Where `smoke` connects instead of each route host when `--origin` is not given. */
const SMOKE_ORIGIN_VARIABLE = 'EDGEOPS_SMOKE_ORIGIN';

process.env.WRANGLER_SEND_METRICS = 'false';

export interface CliOptions {
  output?: Output;
  env?: NodeJS.ProcessEnv;
  /** Local target: the edge's endpoint.json (default `<root>/.edge/endpoint.json`). */
  endpoint?: SessionOptions['endpoint'];
  /** The clock `rollout` judges step intervals by and `status` ends its traffic window at (tests control it). */
  now?: () => Date;
}

function parseTarget(value: string): Target {
  if (value !== 'local' && value !== 'cloudflare') throw new InvalidArgumentError('expected local or cloudflare');
  return value;
}

function parseWindow(value: string): string {
  if (!Duration.safeParse(value).success) throw new InvalidArgumentError('expected a duration such as 30s, 5m, 2h or 1d');
  return value;
}

function errorText(error: unknown): string {
  if (error instanceof ConfigError) return `Configuration error, nothing was called:\n${error.issues.map((issue) => `  ✗ ${formatIssue(issue)}`).join('\n')}`;
  return `Error: ${error instanceof Error ? error.message : String(error)}`;
}

interface CommonFlags {
  target: Target;
  root: string;
  json?: boolean;
  env?: string;
  base?: string;
}

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function runCli(argv: string[], options: CliOptions = {}): Promise<number> {
  const output = options.output ?? consoleOutput;
  const env = options.env ?? process.env;
  let exitCode = 0;
  const session = (flags: CommonFlags) =>
    openSession({ rootDir: resolve(flags.root), target: flags.target, env, ...(flags.env ? { environment: flags.env } : {}), ...(flags.base ? { previewBase: flags.base } : {}), ...(options.endpoint ? { endpoint: options.endpoint } : {}) });

  const program = new Command('gitops')
    .description('Reconcile the fleet declared in git with a Cloudflare account (or the local edge)')
    .exitOverride()
    .configureOutput({ writeOut: (text) => output.out(text.trimEnd()), writeErr: (text) => output.err(text.trimEnd()) });
  const common = (command: Command) =>
    command
      .option('--target <target>', 'local (the local edge) or cloudflare', parseTarget, 'local' as Target)
      .option('--root <dir>', 'repository root', process.cwd())
      .option('--json', 'machine-readable output on stdout')
      .option('--env <name>', 'the environment (a root [env.<name>] table, or pr-<number> for a preview); default: the top-level one, [gitops] environment')
      .option('--base <ref>', 'with --env pr-<n>: the pull request\'s base; the preview deploys the services git diff shows changed, and their dependants');

  common(program.command('plan').description('show what apply would change; exit 0 = none, 2 = changes or orphans, 1 = error'))
    .option('--out <file>', 'save the plan for `apply --plan`')
    .option('--only <service>', 'only this service')
    .option('--prune', 'plan to remove services git no longer declares')
    .option('--adopt', 'take over scripts, routes and domains the fleet does not own')
    .option('--allow-data-loss', 'allow Durable Object deleted_classes migrations (their data is deleted)')
    .action(async (flags: CommonFlags & { out?: string; only?: string; prune?: boolean; adopt?: boolean; allowDataLoss?: boolean }) => {
      const opened = await session(flags);
      const { plan } = await observeAndPlan(opened, {
        prune: flags.prune ?? false,
        adopt: flags.adopt ?? false,
        ...(flags.only ? { only: flags.only } : {}),
        ...(flags.allowDataLoss ? { allowDataLoss: true } : {}),
      });
      if (flags.out) await writeFile(flags.out, `${JSON.stringify(plan, null, 2)}\n`);
      output.out(flags.json ? JSON.stringify(plan, null, 2) : renderPlan(plan));
      // 2 also for orphans (managed scripts git no longer declares) that only prune removes: the drift job reports them.
      exitCode = plan.errors.length > 0 ? 1 : hasDifferences(plan) ? 2 : 0;
    });

  common(program.command('apply').description('apply the plan (or a saved one) in waves'))
    .option('--plan <file>', 'apply this saved plan, refused if the account changed since')
    .option('--only <service>', 'only this service')
    .option('--prune', 'remove services git no longer declares')
    .option('--adopt', 'take over scripts, routes and domains the fleet does not own')
    .option('--allow-data-loss', 'allow Durable Object deleted_classes migrations (their data is deleted)')
    .option('--yes', 'do not ask for confirmation')
    .option('--out <file>', 'also write the --json document to this file (the preview job reads its URLs from it)')
    .action(async (flags: CommonFlags & { plan?: string; only?: string; prune?: boolean; adopt?: boolean; allowDataLoss?: boolean; yes?: boolean; out?: string }) => {
      const saved = flags.plan ? await readPlanFile(flags.plan) : undefined;
      const opened = await session(flags);
      const progress = (line: string) => (flags.json ? output.err(line) : output.out(line));
      const outcome = await applySession(opened, {
        prune: flags.prune ?? false,
        adopt: flags.adopt ?? false,
        ...(flags.only ? { only: flags.only } : {}),
        ...(flags.allowDataLoss ? { allowDataLoss: true } : {}),
        ...(saved ? { saved } : {}),
        progress,
        ...(flags.yes || saved
          ? {}
          : {
              confirm: async (plan) => {
                output.out(renderPlan(plan));
                return confirmOnTerminal(plan);
              },
            }),
      });
      const { plan, result } = outcome;
      // The environment applied and the URLs its Workers answer on (a preview's go into the PR comment).
      const document = JSON.stringify({ plan, result: result ?? null, environment: opened.environment.name, services: serviceUrls(opened.desired) }, null, 2);
      if (flags.out) await writeFile(flags.out, `${document}\n`);
      if (flags.json) output.out(document);
      else if (plan.errors.length > 0) output.out(renderPlan(plan));
      else if (!result) output.out(hasChanges(plan) ? 'Apply cancelled.' : renderPlan(plan));
      else output.out(renderApplySummary(result));
      exitCode = plan.errors.length > 0 || (result !== undefined && !result.ok) ? 1 : 0;
    });

  common(program.command('status').description('what runs where, per service, whether it drifted from git, and each deployed version\'s recent requests and errors'))
    .option('--window <duration>', 'the traffic window, ending now: 30s, 15m, 2h, 1d', parseWindow, DEFAULT_TRAFFIC_WINDOW)
    .action(async (flags: CommonFlags & { window: string }) => {
      const opened = await session(flags);
      const { plan, observed } = await observeAndPlan(opened, {});
      const until = (options.now ?? (() => new Date()))();
      const since = new Date(until.getTime() - Duration.parse(flags.window));
      const traffic = await fleetTraffic(opened.client, observed.scripts, plan.services.map((service) => service.service), { since, until });
      const rows = statusRows(opened.desired, observed, plan, traffic);
      output.out(flags.json ? JSON.stringify(rows, null, 2) : renderStatus(rows, flags.window));
    });

  program
    .command('teardown')
    .description("delete exactly what a pull request's preview created: its scripts, their routes, its KV namespaces, D1 databases and queues")
    .requiredOption('--env <name>', 'the preview, pr-<number>')
    .option('--target <target>', 'local (the local edge) or cloudflare', parseTarget, 'local' as Target)
    .option('--root <dir>', 'repository root', process.cwd())
    .option('--json', 'machine-readable output on stdout')
    .action(async (flags: { env: string; target: Target; root: string; json?: boolean }) => {
      const result = await teardownPreview({
        rootDir: resolve(flags.root),
        target: flags.target,
        environment: flags.env,
        env,
        ...(options.endpoint ? { endpoint: options.endpoint } : {}),
        progress: (line) => (flags.json ? output.err(line) : output.out(line)),
      });
      output.out(flags.json ? JSON.stringify(result, null, 2) : `Teardown of ${flags.env} complete: ${result.scripts.length} scripts, ${result.routes.length} routes, ${result.queues.length + result.kvNamespaces.length + result.d1Databases.length} data resources deleted.`);
    });
  common(program.command('rollout').description('advance or roll back health-gated rollouts; exit 1 when one was rolled back')).action(async (flags: CommonFlags) => {
    const opened = await session(flags);
    const outcomes = await runRollouts(opened, { ...(options.now ? { now: options.now } : {}), progress: (line) => (flags.json ? output.err(line) : output.out(line)) });
    if (flags.json) output.out(JSON.stringify(outcomes, null, 2));
    else if (outcomes.length === 0) output.out('No health-gated rollout in progress.');
    exitCode = outcomes.some((outcome) => outcome.decision.kind === 'rollback') ? 1 : 0;
  });
  common(program.command('smoke').description("call every contract route that needs no input on the environment's route hosts; exit 0 = all answered as their contracts say, 1 = a failure"))
    .option('--out <file>', 'also write the JSON report here')
    .option('--origin <url>', `connect here instead of to each route host, sending the host in the Host header (default: ${SMOKE_ORIGIN_VARIABLE}; target local: the edge's data plane)`)
    .option('--timeout <ms>', 'deadline of each call', (value: string) => {
      const parsed = Number(value);
      if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError('expected a whole number of milliseconds');
      return parsed;
    })
    .action(async (flags: CommonFlags & { out?: string; origin?: string; timeout?: number }) => {
      const origin = flags.origin ?? env[SMOKE_ORIGIN_VARIABLE];
      const report = await runSmoke({
        rootDir: resolve(flags.root),
        target: flags.target,
        ...(flags.env ? { environment: flags.env } : {}),
        ...(flags.base ? { previewBase: flags.base } : {}),
        ...(origin ? { origin } : {}),
        ...(typeof options.endpoint === 'string' ? { endpointFile: options.endpoint } : {}),
        ...(flags.timeout ? { timeoutMs: flags.timeout } : {}),
      });
      if (flags.out) await writeFile(flags.out, `${JSON.stringify(report, null, 2)}\n`);
      output.out(flags.json ? JSON.stringify(report, null, 2) : renderSmoke(report));
      exitCode = report.ok ? 0 : 1;
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error && typeof error === 'object' && 'exitCode' in error && (error as { code?: string }).code?.startsWith('commander.')) {
      return (error as { exitCode: number }).exitCode;
    }
    output.err(errorText(error));
    return 1;
  }
}

// Run as a program (not imported by a test): compared by real path, so a checkout whose scripts/ is a
// symlink (the workflow tests' checkout) still runs the command instead of silently doing nothing.
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  process.exitCode = await runCli(process.argv.slice(2));
}
