import { readFileSync } from 'node:fs';
import type { PullRequestRef } from './sticky-comment.ts';

/**
 * What a GitHub Actions job tells a step through its environment: the repository, the event
 * payload (for a pull_request event, the PR number), the API URL and a link to the run.
 */
export interface ActionsEnv {
  GITHUB_REPOSITORY?: string;
  GITHUB_EVENT_PATH?: string;
  GITHUB_API_URL?: string;
  GITHUB_SERVER_URL?: string;
  GITHUB_RUN_ID?: string;
  GITHUB_SHA?: string;
}

export interface PullRequestFlags {
  repo?: string;
  pr?: string;
}

export class ContextError extends Error {}

function parseRepository(value: string, source: string): { owner: string; repo: string } {
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(value);
  if (!match?.[1] || !match[2]) throw new ContextError(`${source}: expected owner/name, got ${JSON.stringify(value)}`);
  return { owner: match[1], repo: match[2] };
}

function parseNumber(value: unknown, source: string): number {
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 1) throw new ContextError(`${source}: expected a pull request number, got ${JSON.stringify(value)}`);
  return number;
}

/** The pull request number in an event payload: pull_request, pull_request_target, issue_comment on a PR. */
function numberFromEvent(path: string): number {
  let payload: { pull_request?: { number?: unknown }; issue?: { number?: unknown; pull_request?: unknown }; number?: unknown };
  try {
    payload = JSON.parse(readFileSync(path, 'utf8')) as typeof payload;
  } catch (error) {
    throw new ContextError(`GITHUB_EVENT_PATH ${path}: cannot read the event payload (${(error as Error).message})`);
  }
  const value = payload.pull_request?.number ?? (payload.issue?.pull_request ? payload.issue.number : undefined);
  if (value === undefined) throw new ContextError(`GITHUB_EVENT_PATH ${path}: the event is not about a pull request (no pull_request.number); pass --pr`);
  return parseNumber(value, `GITHUB_EVENT_PATH ${path} pull_request.number`);
}

/** Flags win; otherwise the Actions environment; otherwise a clear error naming both. */
export function resolvePullRequest(flags: PullRequestFlags, env: ActionsEnv): PullRequestRef {
  const repository = flags.repo ?? env.GITHUB_REPOSITORY;
  if (!repository) throw new ContextError('no repository: pass --repo owner/name or set GITHUB_REPOSITORY');
  const { owner, repo } = parseRepository(repository, flags.repo ? '--repo' : 'GITHUB_REPOSITORY');
  let number: number;
  if (flags.pr !== undefined) number = parseNumber(flags.pr, '--pr');
  else if (env.GITHUB_EVENT_PATH) number = numberFromEvent(env.GITHUB_EVENT_PATH);
  else throw new ContextError('no pull request: pass --pr <number> or run in a pull_request workflow (GITHUB_EVENT_PATH)');
  return { owner, repo, number };
}

/** Link to the running workflow, when the job's environment says which one. */
export function runUrl(env: ActionsEnv): string | undefined {
  if (!env.GITHUB_SERVER_URL || !env.GITHUB_REPOSITORY || !env.GITHUB_RUN_ID) return undefined;
  return `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`;
}
