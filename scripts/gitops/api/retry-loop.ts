/**
 * One retry loop for the HTTP clients (Cloudflare's and GitHub's): bounded attempts, and between
 * them either the server's `retry-after` (it is THE delay, capped) or exponential backoff with
 * jitter (between half and all of min × 2^n, capped). Written here rather than with p-retry: p-retry
 * computes its delays up front and can only add a server's `retry-after` on top of its own backoff.
 */

export interface BackoffPolicy {
  /** Retries after the first attempt. */
  retries: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  /** Upper bound on a server's `retry-after`, so a retry never waits unboundedly. */
  maxRetryAfterMs: number;
}

/** What a failed attempt means: give up (throw `error`), or try again (after `retryAfterMs` when the server said). */
export type Verdict = { retry: false } | { retry: true; retryAfterMs?: number };

export interface RetryAttempt {
  /** The attempt that failed, from 1. */
  attempt: number;
  retriesLeft: number;
  error: unknown;
  delayMs: number;
  /** The delay is the server's `retry-after` (not our backoff). */
  serverDelay: boolean;
}

/** `retry-after` as milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(header: string | number | null | undefined): number | undefined {
  if (header === null || header === undefined || header === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(String(header));
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

const timerSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` until it succeeds, `judge` says a failure is final, or the retries run out (then
 * the last failure is thrown as `final(error)` gives it).
 */
export async function retryLoop<T>(
  attempt: () => Promise<T>,
  policy: BackoffPolicy,
  judge: (error: unknown) => Verdict,
  options: { onRetry?: (event: RetryAttempt) => void; sleep?: (ms: number) => Promise<void>; final?: (error: unknown) => unknown } = {},
): Promise<T> {
  const sleep = options.sleep ?? timerSleep;
  for (let number = 1; ; number += 1) {
    try {
      return await attempt();
    } catch (error) {
      const verdict = judge(error);
      if (!verdict.retry || number > policy.retries) throw options.final ? options.final(error) : error;
      const backoffMs = Math.min(policy.minBackoffMs * 2 ** (number - 1), policy.maxBackoffMs);
      const delayMs = verdict.retryAfterMs !== undefined ? Math.min(verdict.retryAfterMs, policy.maxRetryAfterMs) : Math.round(backoffMs * (0.5 + Math.random() / 2));
      options.onRetry?.({ attempt: number, retriesLeft: policy.retries - number + 1, error, delayMs, serverDelay: verdict.retryAfterMs !== undefined });
      await sleep(delayMs);
    }
  }
}
