import type { Contract } from '@edgeops/contracts';
import fc from 'fast-check';
import { hostileRequests, type FuzzRequest } from './hostile-requests.ts';

/** Sends one fuzz request to the service (through the real runtime) and answers its response. */
export type FuzzFetch = (request: FuzzRequest) => Promise<Response>;

/** What a service must do with any request: never a 5xx, and every 4xx a JSON `{ error: { code, message } }`. */
export async function answerProblem(request: FuzzRequest, response: Response): Promise<string | undefined> {
  const text = await response.text();
  if (response.status >= 500) return `answered ${response.status}: ${text.slice(0, 300)}`;
  if (response.status < 400 || request.method === 'HEAD') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return `answered ${response.status} with a body that is not JSON: ${JSON.stringify(text.slice(0, 200))}`;
  }
  const error = typeof body === 'object' && body !== null ? (body as { error?: { code?: unknown; message?: unknown } }).error : undefined;
  if (typeof error?.code !== 'string' || typeof error.message !== 'string') {
    return `answered ${response.status} without an { error: { code, message } } body: ${text.slice(0, 200)}`;
  }
  return undefined;
}

export interface FuzzOptions {
  runs: number;
  seed?: number;
  /** Strings worth reusing in requests, e.g. ids of users that exist. */
  known: readonly string[];
}

/**
 * Fuzzes every route of a contract: fast-check draws requests (see hostile-requests.ts) and fails
 * with the smallest request that got a 5xx or an error that is not JSON.
 */
export async function assertServiceHolds(contract: Contract, send: FuzzFetch, options: FuzzOptions): Promise<void> {
  await fc.assert(
    fc.asyncProperty(hostileRequests(contract, options.known), async (request) => {
      const problem = await answerProblem(request, await send(request));
      if (problem) throw new Error(`${contract.service} ${request.method} ${request.target}: ${problem}`);
    }),
    { numRuns: options.runs, ...(options.seed === undefined ? {} : { seed: options.seed }) },
  );
}

export interface FuzzTally {
  requests: number;
  /** Answers by status class: `2xx`, `4xx`, `5xx`… */
  byClass: Record<string, number>;
  /** Requests answered with a 5xx or an error that is not JSON. */
  failures: number;
  /** The first few requests that broke the rule, with what was wrong. */
  problems: string[];
}

/** The bench form: sends `runs` requests without stopping at the first problem and counts the answers. */
export async function tallyService(contract: Contract, send: FuzzFetch, options: FuzzOptions): Promise<FuzzTally> {
  const tally: FuzzTally = { requests: 0, byClass: {}, failures: 0, problems: [] };
  const requests = fc.sample(hostileRequests(contract, options.known), { numRuns: options.runs, ...(options.seed === undefined ? {} : { seed: options.seed }) });
  for (const request of requests) {
    const response = await send(request);
    const statusClass = `${Math.floor(response.status / 100)}xx`;
    tally.requests += 1;
    tally.byClass[statusClass] = (tally.byClass[statusClass] ?? 0) + 1;
    const problem = await answerProblem(request, response);
    if (!problem) continue;
    tally.failures += 1;
    if (tally.problems.length < 10) tally.problems.push(`${contract.service} ${request.method} ${request.target}: ${problem}`);
  }
  return tally;
}
