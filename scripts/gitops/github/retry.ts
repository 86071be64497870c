import { parseRetryAfter, retryLoop } from '../api/retry-loop.ts';

/**
 * When a GitHub API call is worth repeating, and how long to wait: 5xx and dropped connections
 * (Octokit reports both with a 5xx status), 429, and 403 secondary rate limits. `retry-after` is
 * the delay (up to `maxRetryAfterMs`); otherwise exponential backoff. Always bounded by `retries`.
 */
export interface RetryPolicy {
  retries: number;
  minTimeoutMs: number;
  maxTimeoutMs: number;
  /** Longest `retry-after` honoured; a longer one is cut to this (the job should not hang for an hour). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 4, minTimeoutMs: 1_000, maxTimeoutMs: 16_000, maxRetryAfterMs: 60_000 };

export interface RetryNotice {
  attempt: number;
  retriesLeft: number;
  /** The HTTP status; undefined when no response arrived (connection refused, DNS, reset). */
  status: number | undefined;
  /** What went wrong, for a failure without a response. */
  message: string;
  delayMs: number;
  /** `delayMs` is the server's `retry-after` rather than backoff. */
  retryAfter: boolean;
}

interface HttpFailure {
  status?: number;
  message: string;
  response?: { headers?: Record<string, string | number | undefined> };
}

function asFailure(error: unknown): HttpFailure | undefined {
  return error instanceof Error ? (error as Error & HttpFailure) : undefined;
}

function retryAfterMs(failure: HttpFailure): number | undefined {
  return parseRetryAfter(failure.response?.headers?.['retry-after']);
}

export function isRetryable(error: unknown): boolean {
  const failure = asFailure(error);
  const status = failure?.status;
  if (!failure || status === undefined) return false;
  if (status >= 500 || status === 429) return true;
  return status === 403 && (retryAfterMs(failure) !== undefined || /secondary rate limit/i.test(failure.message));
}

/** Runs `attempt` until it succeeds, fails with something not worth retrying, or the retries run out. */
export async function withRetry<T>(attempt: () => Promise<T>, policy: RetryPolicy, onRetry?: (notice: RetryNotice) => void, sleep?: (ms: number) => Promise<void>): Promise<T> {
  return retryLoop(
    attempt,
    { retries: policy.retries, minBackoffMs: policy.minTimeoutMs, maxBackoffMs: policy.maxTimeoutMs, maxRetryAfterMs: policy.maxRetryAfterMs },
    (error) => {
      if (!isRetryable(error)) return { retry: false };
      const waitFor = retryAfterMs(asFailure(error) as HttpFailure);
      return { retry: true, ...(waitFor !== undefined ? { retryAfterMs: waitFor } : {}) };
    },
    {
      ...(sleep ? { sleep } : {}),
      onRetry: ({ attempt: number, retriesLeft, error, delayMs, serverDelay }) => {
        const failure = asFailure(error);
        // Octokit reports a request that got no response as status 500 without a `response`.
        const status = failure?.response ? failure.status : undefined;
        onRetry?.({ attempt: number, retriesLeft, status, message: failure?.message ?? String(error), delayMs, retryAfter: serverDelay });
      },
    },
  );
}
