import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { ContractReportError, contractsAppendix } from '../../contracts/index.ts';
import { ConfigError } from '../../fleet/index.ts';
import { ContextError, resolvePullRequest, runUrl, type ActionsEnv } from './actions-context.ts';
import { createGitHubClient, DEFAULT_GITHUB_API_URL } from './client.ts';
import { loadPlanSummary, PlanFileError } from './plan-file.ts';
import { redactSecrets } from './redact.ts';
import { PLAN_COMMENT_MARKER, renderPlanComment } from './render-comment.ts';
import type { RetryPolicy } from './retry.ts';
import { upsertStickyComment } from './sticky-comment.ts';
import { deactivateEnvironment, finishDeployment, startDeployment } from './deployments.ts';
import { driftMarker, reportDrift } from './drift-issue.ts';
import { loadPreview, PREVIEW_RESULTS, renderPreviewSection, type PreviewResult } from './preview-section.ts';
import { declaredEnvironments } from './environments.ts';

export interface CliIo {
  env: ActionsEnv & { GITHUB_TOKEN?: string };
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Tests shorten the backoff; production uses the default policy. */
  retry?: Partial<RetryPolicy>;
}

interface CommonOptions {
  plan: string;
  exitCode?: number;
  commit?: string;
  contracts?: string;
}

const previewResultArg = (value: string): PreviewResult => {
  const found = PREVIEW_RESULTS.find((result) => result === value);
  if (!found) throw new InvalidArgumentError(`expected the preview job's result (${PREVIEW_RESULTS.join(', ')})`);
  return found;
};

const exitCodeArg = (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError('expected the plan step\'s exit code (0, 1 or 2)');
  return parsed;
};

/**
 * `comment`: post or update the pull request's sticky plan comment (with the preview's URLs).
 * `render`: print the same Markdown to stdout (the drift job appends it to the step summary).
 * `deployment start|finish|deactivate`: GitHub Deployments of an environment or preview.
 * `drift`: open, update or close an environment's drift issue; `environments`: the declared ones.
 * Returns the process exit code: 0 done, 1 failed (the message says what to fix).
 */
export async function runGitHubCli(argv: readonly string[], io: CliIo): Promise<number> {
  const token = io.env.GITHUB_TOKEN;
  const say = (text: string) => io.stdout(redactSecrets(text, [token]));
  const complain = (text: string) => io.stderr(redactSecrets(text, [token]));
  const renderOptions = (options: CommonOptions) => {
    const url = runUrl(io.env);
    const commit = options.commit || io.env.GITHUB_SHA;
    return { ...(url ? { runUrl: url } : {}), ...(commit ? { commit } : {}) };
  };

  const program = new Command('github')
    .description('The GitHub side of edgeops GitOps: the plan comment on pull requests, deployments, drift issues')
    .exitOverride()
    .configureOutput({ writeOut: say, writeErr: complain });

  program
    .command('comment')
    .description('Post the plan as the one sticky comment of a pull request (updated in place on later runs)')
    .requiredOption('--plan <file>', 'plan JSON written by `npm run plan -- --json --out <file>`')
    .option('--repo <owner/name>', 'repository (default: GITHUB_REPOSITORY)')
    .option('--pr <number>', 'pull request number (default: from the event at GITHUB_EVENT_PATH)')
    .option('--exit-code <code>', 'exit code of the plan step, shown when the plan failed', exitCodeArg)
    .option('--commit <sha>', 'commit shown in the footer (default: GITHUB_SHA; on a PR pass the head sha)')
    .option('--contracts <file>', 'contract findings written by `npm run contracts -- --check --base <ref> --out <file>`, shown after the plan')
    .option('--preview <file>', "the preview's URLs: the document `npm run apply -- --env pr-<n> --json --out <file>` wrote")
    .option('--preview-result <result>', `how the preview job ended (${PREVIEW_RESULTS.join(', ')}); default success when --preview is given`, previewResultArg)
    .action(async (options: CommonOptions & { repo?: string; pr?: string; preview?: string; previewResult?: PreviewResult }) => {
      const pull = resolvePullRequest({ ...(options.repo ? { repo: options.repo } : {}), ...(options.pr ? { pr: options.pr } : {}) }, io.env);
      if (!token) throw new ContextError('GITHUB_TOKEN is not set: the comment needs a token with pull-requests: write');
      const input = await loadPlanSummary(options.plan, options.exitCode);
      const previewResult = options.previewResult ?? (options.preview ? 'success' : undefined);
      const preview = options.preview && previewResult === 'success' ? await loadPreview(options.preview) : undefined;
      const contracts = (await contractsAppendix(options.contracts)).appendix;
      const previewSection = previewResult ? renderPreviewSection(preview, previewResult, runUrl(io.env)) : undefined;
      const appendix = [previewSection, contracts].filter((part) => part !== undefined).join('\n');
      const body = renderPlanComment(input, { ...renderOptions(options), ...(appendix ? { appendix } : {}) });
      const octokit = createGitHubClient({
        token,
        baseUrl: io.env.GITHUB_API_URL || DEFAULT_GITHUB_API_URL,
        ...(io.retry ? { retry: io.retry } : {}),
        warn: (message) => complain(`GitHub: ${message}\n`),
        onRetry: ({ status, message, attempt, retriesLeft, delayMs, retryAfter }) =>
          complain(`GitHub API ${status === undefined ? `did not answer (${message})` : `answered ${status}`}; retry ${attempt} of ${attempt - 1 + retriesLeft}${retryAfter ? `, after retry-after ${Math.round(delayMs / 1000)}s` : ''}\n`),
      });
      const result = await upsertStickyComment(octokit, pull, PLAN_COMMENT_MARKER, body);
      say(`plan comment ${result.action} on ${pull.owner}/${pull.repo}#${pull.number}: ${result.url}\n`);
    });

  program
    .command('render')
    .description('Print the plan comment\'s Markdown to stdout')
    .requiredOption('--plan <file>', 'plan JSON written by `npm run plan -- --json --out <file>`')
    .option('--exit-code <code>', 'exit code of the plan step', exitCodeArg)
    .option('--commit <sha>', 'commit shown in the footer (default: GITHUB_SHA)')
    .option('--contracts <file>', 'contract findings to show after the plan (as for `comment`)')
    .action(async (options: CommonOptions) => {
      say(`${renderPlanComment(await loadPlanSummary(options.plan, options.exitCode), { ...renderOptions(options), ...(await contractsAppendix(options.contracts)) })}\n`);
    });

  // A client for the deployment and drift commands. GitHub Deployments of the fleet's environments (deployments.ts): `start` prints the id for `finish`.
  const apiClient = () => {
    if (!token) throw new ContextError('GITHUB_TOKEN is not set: deployments and drift issues need a token with deployments: write or issues: write');
    return createGitHubClient({ token, baseUrl: io.env.GITHUB_API_URL || DEFAULT_GITHUB_API_URL, ...(io.retry ? { retry: io.retry } : {}), warn: (message) => complain(`GitHub: ${message}\n`) });
  };
  const repositoryOf = (repo: string | undefined) => {
    const [owner, name] = (repo ?? io.env.GITHUB_REPOSITORY ?? '').split('/');
    if (!owner || !name) throw new ContextError('no repository: pass --repo owner/name or set GITHUB_REPOSITORY');
    return { owner, repo: name };
  };
  const deployment = program.command('deployment').description('GitHub Deployments of an environment or preview: start, finish, deactivate');
  deployment
    .command('start')
    .description('create a deployment of --env and mark it in_progress; prints its id')
    .requiredOption('--env <name>', 'the environment: production, staging, pr-<n>')
    .option('--repo <owner/name>', 'repository (default: GITHUB_REPOSITORY)')
    .option('--sha <sha>', 'the commit deployed (default: GITHUB_SHA)')
    .action(async (options: { env: string; repo?: string; sha?: string }) => {
      const sha = options.sha || io.env.GITHUB_SHA;
      if (!sha) throw new ContextError('no commit: pass --sha or set GITHUB_SHA');
      say(`${await startDeployment(apiClient(), { ...repositoryOf(options.repo), sha, environment: options.env })}\n`);
    });
  deployment
    .command('finish')
    .description('mark a deployment success or failure')
    .requiredOption('--id <id>', 'the id `deployment start` printed')
    .requiredOption('--state <state>', 'success or failure')
    .option('--url <url>', 'the URL the environment answers on')
    .option('--repo <owner/name>', 'repository (default: GITHUB_REPOSITORY)')
    .action(async (options: { id: string; state: string; url?: string; repo?: string }) => {
      if (options.state !== 'success' && options.state !== 'failure') throw new ContextError(`--state: expected success or failure, got "${options.state}"`);
      await finishDeployment(apiClient(), repositoryOf(options.repo), Number(options.id), { ok: options.state === 'success', ...(options.url ? { environmentUrl: options.url } : {}) });
      say(`deployment ${options.id}: ${options.state}\n`);
    });
  deployment
    .command('deactivate')
    .description("mark every deployment of --env inactive (a torn-down preview)")
    .requiredOption('--env <name>', 'the environment, e.g. pr-12')
    .option('--repo <owner/name>', 'repository (default: GITHUB_REPOSITORY)')
    .action(async (options: { env: string; repo?: string }) => {
      const count = await deactivateEnvironment(apiClient(), repositoryOf(options.repo), options.env);
      say(`${count} deployment(s) of ${options.env} marked inactive\n`);
    });

  program
    .command('drift')
    .description("open, update or close the environment's drift issue (label `drift`) from its plan")
    .requiredOption('--env <name>', 'the environment the plan was made for')
    .requiredOption('--plan <file>', 'plan JSON written by `npm run plan -- --env <name> --out <file>`')
    .requiredOption('--exit-code <code>', 'exit code of the plan step: 2 drift, 0 none, 1 error (the issue is left as it is)', exitCodeArg)
    .option('--repo <owner/name>', 'repository (default: GITHUB_REPOSITORY)')
    .action(async (options: CommonOptions & { env: string; exitCode: number; repo?: string }) => {
      if (options.exitCode !== 0 && options.exitCode !== 2) {
        say(`the plan of ${options.env} failed (exit code ${options.exitCode}): its drift issue is left as it is\n`);
        return;
      }
      if (!token) throw new ContextError('GITHUB_TOKEN is not set: the drift issue needs a token with issues: write');
      const url = runUrl(io.env);
      const intro = `${driftMarker(options.env)}\n**Drift in \`${options.env}\`:** Cloudflare differs from git. Re-run the deploy workflow to converge; the drift job closes this issue when ${options.env} matches again.`;
      const body = options.exitCode === 2 ? renderPlanComment(await loadPlanSummary(options.plan, options.exitCode), { ...renderOptions(options), marker: intro }) : '';
      const outcome = await reportDrift(apiClient(), repositoryOf(options.repo), { environment: options.env, drifted: options.exitCode === 2, body, ...(url ? { runUrl: url } : {}) });
      say(`drift issue of ${options.env}: ${outcome.action}${outcome.url ? ` ${outcome.url}` : ''}\n`);
    });

  program
    .command('environments')
    .description('print the environments the root wrangler.toml declares, as a JSON list (the drift job\'s matrix)')
    .option('--root <dir>', 'repository root', '.')
    .action(async (options: { root: string }) => {
      say(`${JSON.stringify(await declaredEnvironments(options.root))}\n`);
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 1;
    if (error instanceof ContextError || error instanceof PlanFileError || error instanceof ContractReportError || error instanceof ConfigError) {
      complain(`error: ${error.message}\n`);
      return 1;
    }
    complain(`error: ${describeApiFailure(error)}\n`);
    return 1;
  }
}

/** An API failure as one actionable line: status, method, path, GitHub's message; never headers. */
function describeApiFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const failure = error as Error & { status?: number; request?: { method?: string; url?: string } };
  if (failure.status === undefined || !failure.request) return error.message;
  const hints: Record<number, string> = {
    401: 'the token is invalid or expired',
    403: 'the token lacks permission: the workflow needs `permissions: pull-requests: write` (forks get a read-only token)',
    404: 'no such repository or pull request, or the token cannot see it',
  };
  const path = failure.request.url ? new URL(failure.request.url).pathname : '';
  return `GitHub API ${failure.request.method ?? ''} ${path} failed with ${failure.status}: ${error.message}${hints[failure.status] ? ` (${hints[failure.status]})` : ''}`;
}
