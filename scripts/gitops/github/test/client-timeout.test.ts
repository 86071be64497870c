/** The GitHub client gives up on a request that never answers: every attempt has a timeout, retries are bounded. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../client.ts';
import type { RetryNotice } from '../retry.ts';

/** A server that reads every request and answers none of them (a stuck proxy or API). */
let stalled: Server;
let url: string;
const received: IncomingMessage[] = [];

beforeAll(async () => {
  stalled = createServer((request) => received.push(request));
  await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(stalled.address() as AddressInfo).port}`;
});
afterAll(async () => {
  stalled.closeAllConnections();
  await new Promise<void>((resolve) => stalled.close(() => resolve()));
});

describe('GitHub client timeouts', () => {
  it('abandons a request without an answer after its timeout, retries it a bounded number of times, and says so', async () => {
    const notices: RetryNotice[] = [];
    const octokit = createGitHubClient({ token: 'ghs_test', baseUrl: url, requestTimeoutMs: 300, retry: { retries: 1, minTimeoutMs: 10, maxTimeoutMs: 10 }, onRetry: (notice) => notices.push(notice) });
    const call = octokit.rest.issues.listComments({ owner: 'octo', repo: 'fleet', issue_number: 1 });
    await expect(call).rejects.toThrow(/^GitHub API GET \S+\/comments: no answer within 0\.3 s \(after 2 attempts\)$/);
    expect(received).toHaveLength(2);
    expect(notices).toHaveLength(1);
  });
});
