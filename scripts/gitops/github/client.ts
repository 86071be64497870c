import { Octokit } from '@octokit/rest';
import { DEFAULT_RETRY_POLICY, withRetry, type RetryNotice, type RetryPolicy } from './retry.ts';

export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';

export interface GitHubClientOptions {
  token: string;
  /** REST API root; `GITHUB_API_URL` in Actions (GitHub Enterprise Server sets its own). */
  baseUrl?: string;
  retry?: Partial<RetryPolicy>;
  onRetry?: (notice: RetryNotice) => void;
  /** Where Octokit's own warnings go (deprecations); silent by default. Failed requests are thrown, not logged. */
  warn?: (message: string) => void;
  /** How long one request may wait for its answer before it is abandoned (and retried like a 5xx). */
  requestTimeoutMs?: number;
}

export const DEFAULT_GITHUB_REQUEST_TIMEOUT_MS = 30_000;

/**
 * `fetch` with a deadline for the whole exchange, answer body included: the timer is never
 * cleared, only unref'd (an abort after the body was read does nothing). A signal handed to
 * Octokit per request did not reach its fetch, so the deadline lives in the fetch it calls.
 */
function fetchWithTimeout(timeoutMs: number): typeof fetch {
  return (input, init) => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs).unref();
    return fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, controller.signal]) : controller.signal });
  };
}

/** Octokit reports a fetch the timeout aborted as a 500 whose cause is the abort's reason. */
function timedOut(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || (error.cause instanceof Error && error.cause.name === 'TimeoutError'));
}

/**
 * An Octokit for the REST API with a timeout on every request and bounded retries on 5xx, 429,
 * secondary rate limits and requests that timed out.
 */
export function createGitHubClient(options: GitHubClientOptions): Octokit {
  if (!options.token) throw new Error('GITHUB_TOKEN is not set: the comment needs a token with pull-requests: write');
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const quiet = () => {};
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_GITHUB_REQUEST_TIMEOUT_MS;
  const octokit = new Octokit({
    auth: options.token,
    baseUrl: (options.baseUrl ?? DEFAULT_GITHUB_API_URL).replace(/\/+$/, ''),
    userAgent: 'edgeops-gitops',
    request: { fetch: fetchWithTimeout(timeoutMs) },
    log: { debug: quiet, info: quiet, warn: options.warn ?? quiet, error: quiet },
  });
  octokit.hook.wrap('request', async (request, requestOptions) => {
    try {
      return await withRetry(async () => request(requestOptions), policy, options.onRetry);
    } catch (error) {
      if (!timedOut(error)) throw error;
      throw new Error(`GitHub API ${requestOptions.method} ${requestOptions.url}: no answer within ${timeoutMs / 1000} s (after ${policy.retries + 1} attempts)`, { cause: error });
    }
  });
  return octokit;
}
