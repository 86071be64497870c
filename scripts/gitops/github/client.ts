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
}

/** An Octokit for the REST API with bounded retries on 5xx, 429 and secondary rate limits. */
export function createGitHubClient(options: GitHubClientOptions): Octokit {
  if (!options.token) throw new Error('GITHUB_TOKEN is not set: the comment needs a token with pull-requests: write');
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const quiet = () => {};
  const octokit = new Octokit({
    auth: options.token,
    baseUrl: (options.baseUrl ?? DEFAULT_GITHUB_API_URL).replace(/\/+$/, ''),
    userAgent: 'edgeops-gitops',
    log: { debug: quiet, info: quiet, warn: options.warn ?? quiet, error: quiet },
  });
  octokit.hook.wrap('request', (request, requestOptions) => withRetry(async () => request(requestOptions), policy, options.onRetry));
  return octokit;
}
