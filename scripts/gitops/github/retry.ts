import pRetry from 'p-retry';

/**
 * When a GitHub API call is worth repeating, and how long to wait: 5xx and dropped connections
 * (Octokit reports both with a 5xx status), 429, and 403 secondary rate limits. `retry-after` is
 * honoured up to `maxRetryAfterMs`; otherwise exponential backoff. Always bounded by `retries`.
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
  const header = failure.response?.headers?.['retry-after'];
  if (header === undefined) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(String(header));
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export function isRetryable(error: unknown): boolean {
  const failure = asFailure(error);
  const status = failure?.status;
  if (!failure || status === undefined) return false;
  if (status >= 500 || status === 429) return true;
  return status === 403 && (retryAfterMs(failure) !== undefined || /secondary rate limit/i.test(failure.message));
}

/** Runs `attempt` until it succeeds, fails with something not worth retrying, or the retries run out. */
export async function withRetry<T>(attempt: () => Promise<T>, policy: RetryPolicy, onRetry?: (notice: RetryNotice) => void): Promise<T> {
  return pRetry(attempt, {
    retries: policy.retries,
    minTimeout: policy.minTimeoutMs,
    maxTimeout: policy.maxTimeoutMs,
    factor: 2,
    randomize: true,
    shouldRetry: (error) => isRetryable(error),
    onFailedAttempt: async (error) => {
      if (error.retriesLeft === 0 || !isRetryable(error)) return;
      const failure = asFailure(error);
      const waitFor = failure ? retryAfterMs(failure) : undefined;
      const delayMs = waitFor === undefined ? 0 : Math.min(waitFor, policy.maxRetryAfterMs);
      // Octokit reports a request that got no response as status 500 without a `response`.
      const status = failure?.response ? failure.status : undefined;
      onRetry?.({ attempt: error.attemptNumber, retriesLeft: error.retriesLeft, status, message: error.message, delayMs });
      // The server said how long to wait: wait that long, on top of the (small) backoff p-retry adds.
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    },
  });
}
