import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudflareClient, type ClientOptions, type RetryEvent } from '../api/client.ts';
import { ApiError, ConnectionRefusedError, NetworkError } from '../api/errors.ts';
import { startTestEdge, type TestEdge } from './support/edge.ts';
import { closedPort } from './support/ports.ts';

/** The API client against the local edge's fault injection: what is retried, how long it waits, what is not. */

let edge: TestEdge;

beforeAll(async () => {
  edge = await startTestEdge();
});
afterAll(async () => {
  await edge?.cleanup();
});

/** A client whose waits are recorded (and skipped), with its retry events. */
function recordingClient(options: ClientOptions = {}) {
  const waits: number[] = [];
  const retries: RetryEvent[] = [];
  const client = new CloudflareClient(edge.endpoint, {
    sleep: async (ms) => {
      waits.push(ms);
    },
    onRetry: (event) => retries.push(event),
    ...options,
  });
  return { client, waits, retries };
}

const scriptsPath = '/accounts/*/workers/scripts';

describe('API client', () => {
  it('client: does not retry 409 (a conflict answers the same however often it is asked)', async () => {
    edge.edge.faults.clear();
    edge.edge.faults.clearLog();
    edge.edge.faults.add({ method: 'GET', path: scriptsPath, times: 3, action: { kind: 'status', status: 409, code: 10_014, message: 'already exists' } });
    const { client, waits } = recordingClient();
    const failure = await client.request('GET', client.accountPath('/workers/scripts')).catch((error: unknown) => error);
    edge.edge.faults.clear();
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).status).toBe(409);
    expect(edge.edge.faults.log().filter((entry) => entry.fault)).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it("client: a server's retry-after is THE delay, not added to a backoff", async () => {
    edge.edge.faults.clearLog();
    edge.edge.faults.add({ method: 'GET', path: scriptsPath, times: 2, action: { kind: 'rate-limit', retryAfterSeconds: 3 } });
    const { client, waits, retries } = recordingClient();
    await client.request('GET', client.accountPath('/workers/scripts'));
    expect(waits).toEqual([3_000, 3_000]);
    expect(retries.map((event) => [event.status, event.delayMs])).toEqual([
      [429, 3_000],
      [429, 3_000],
    ]);
  });

  it('client: without retry-after, 5xx waits a bounded exponential backoff, then succeeds', async () => {
    edge.edge.faults.clearLog();
    edge.edge.faults.add({ method: 'GET', path: scriptsPath, times: 3, action: { kind: 'status', status: 503 } });
    const { client, waits } = recordingClient({ minBackoffMs: 200, maxBackoffMs: 500 });
    await client.request('GET', client.accountPath('/workers/scripts'));
    expect(waits).toHaveLength(3);
    const bounds = [200, 400, 500];
    waits.forEach((ms, index) => {
      expect(ms).toBeGreaterThanOrEqual((bounds[index] ?? 0) / 2);
      expect(ms).toBeLessThanOrEqual(bounds[index] ?? 0);
    });
  });

  it('client: every request has a timeout; one that gets no answer in time is retried, then reported', async () => {
    edge.edge.faults.clearLog();
    edge.edge.faults.add({ method: 'GET', path: scriptsPath, times: 2, action: { kind: 'delay', ms: 5_000 } });
    const { client, waits } = recordingClient({ requestTimeoutMs: 300, retries: 1 });
    const failure = await client.request('GET', client.accountPath('/workers/scripts')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NetworkError);
    expect(String(failure)).toMatch(/GET \/accounts\/[^ ]+\/workers\/scripts: the API could not be reached \(no answer within 300 ms\)/);
    expect(waits).toHaveLength(1);
  });

  it('client: a refused connection fails at once with what it means, never retried', async () => {
    const port = await closedPort();
    const waits: number[] = [];
    const refused = new CloudflareClient(
      { apiUrl: `http://127.0.0.1:${port}/client/v4`, accountId: 'acc', token: 'SECRET-token' },
      { sleep: async (ms) => void waits.push(ms), refusedHint: 'the local edge is not running: start it with `npm start` or `npm run edge`' },
    );
    const failure = await refused.request('GET', refused.accountPath('/workers/scripts')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConnectionRefusedError);
    expect(String(failure)).toContain(`the local edge is not running: start it with \`npm start\` or \`npm run edge\` (GET /accounts/acc/workers/scripts: connection to http://127.0.0.1:${port} refused)`);
    expect(String(failure)).not.toContain('SECRET');
    expect(refused.requests).toBe(1);
    expect(waits).toEqual([]);
  });
});
