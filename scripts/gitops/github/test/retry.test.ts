/**
 * The GitHub client's retries: the server's `retry-after` is the delay (capped), never added to a
 * backoff; otherwise bounded exponential backoff; 4xx other than rate limits are final.
 */
import { describe, expect, it } from 'vitest';
import { withRetry, type RetryNotice, type RetryPolicy } from '../retry.ts';

const POLICY: RetryPolicy = { retries: 3, minTimeoutMs: 1_000, maxTimeoutMs: 4_000, maxRetryAfterMs: 30_000 };

/** An error shaped as Octokit's RequestError. */
function httpError(status: number, headers: Record<string, string> = {}, message = `HTTP ${status}`): Error {
  return Object.assign(new Error(message), { status, response: { headers } });
}

async function run(failures: Error[]): Promise<{ sleeps: number[]; notices: RetryNotice[]; result: unknown }> {
  const sleeps: number[] = [];
  const notices: RetryNotice[] = [];
  let call = 0;
  const result = await withRetry(
    async () => {
      const failure = failures[call++];
      if (failure) throw failure;
      return 'done';
    },
    POLICY,
    (notice) => notices.push(notice),
    async (ms) => {
      sleeps.push(ms);
    },
  ).catch((error: unknown) => error);
  return { sleeps, notices, result };
}

describe('GitHub retries', () => {
  it('waits exactly the retry-after a rate limit names, capped, and nothing on top', async () => {
    const { sleeps, notices, result } = await run([httpError(429, { 'retry-after': '7' }), httpError(403, { 'retry-after': '120' }, 'secondary rate limit')]);
    expect(result).toBe('done');
    expect(sleeps).toEqual([7_000, 30_000]);
    expect(notices.map((notice) => notice.retryAfter)).toEqual([true, true]);
  });

  it('backs off exponentially (with jitter, within bounds) without retry-after, and gives up after the retries', async () => {
    const { sleeps, result } = await run([httpError(502), httpError(503), httpError(500), httpError(500)]);
    expect((result as { status?: number }).status).toBe(500);
    expect(sleeps).toHaveLength(3);
    const bounds = [1_000, 2_000, 4_000];
    sleeps.forEach((ms, index) => {
      expect(ms).toBeGreaterThanOrEqual((bounds[index] as number) / 2);
      expect(ms).toBeLessThanOrEqual(bounds[index] as number);
    });
  });

  it('does not retry a 404 or a 403 that is not a rate limit', async () => {
    for (const failure of [httpError(404), httpError(403, {}, 'Resource not accessible by integration')]) {
      const { sleeps, result } = await run([failure]);
      expect(result).toBe(failure);
      expect(sleeps).toEqual([]);
    }
  });
});
