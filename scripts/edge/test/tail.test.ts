/**
 * `wrangler tail` (real wrangler) against the edge: the tail API, the `trace-v1` WebSocket, the
 * event JSON wrangler prints, and the filters wrangler sends (--status, --method, --search).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signalGroup } from '../../cli/index.ts';
import type { Edge } from '../src/index.ts';
import { type ApiClient, workerUpload } from './support/api-client.ts';
import { requestDataPlane } from './support/data-plane.ts';
import { withTestEdge } from './support/test-edge.ts';

const WRANGLER = fileURLToPath(new URL('../../../node_modules/.bin/wrangler', import.meta.url));
const WORKER = `export default { async fetch(request) {
  const { pathname } = new URL(request.url);
  console.log('tailed', request.method, pathname);
  if (pathname.endsWith('/boom')) throw new Error('tail saw this');
  return new Response('ok');
} };`;

let edge: Edge;
let root: string;
let api: ApiClient;
const running: ChildProcessWithoutNullStreams[] = [];

withTestEdge('edge-tail-', async (started) => {
  ({ edge, api, root } = started);
  await api.ok('PUT', '/accounts/{a}/workers/scripts/tailed', { body: workerUpload(WORKER, { annotations: { 'workers/tag': '3.1.0' } }) });
  await api.ok('PUT', '/accounts/{a}/workers/domains', { body: { hostname: 'tailed.example.com', service: 'tailed', environment: 'production' } });
});

// wrangler's bin re-spawns node for its CLI: kill the whole process group and wait for it, or the
// CLI child goes on writing its log files while the temp directory is removed.
afterEach(async () => {
  await Promise.all(
    running.splice(0).map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      signalGroup(child.pid as number, 'SIGKILL');
      await exited;
    }),
  );
});

/** Starts `wrangler tail tailed --format json …`; resolves once the tail exists on the edge. */
async function startTail(args: string[]): Promise<{ output: () => string }> {
  const home = join(root, 'home');
  await mkdir(join(home, '.config'), { recursive: true });
  await writeFile(join(root, 'wrangler.toml'), 'name = "tailed"\n');
  const connected = () => edge.tails.list('tailed').filter((session) => session.sockets.size > 0).length;
  const before = connected();
  const child = spawn(WRANGLER, ['tail', 'tailed', '--format', 'json', ...args], {
    cwd: root,
    detached: true,
    env: {
      PATH: process.env.PATH,
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      CI: 'true',
      WRANGLER_SEND_METRICS: 'false',
      CLOUDFLARE_API_BASE_URL: edge.apiUrl,
      CLOUDFLARE_API_TOKEN: edge.token,
      CLOUDFLARE_ACCOUNT_ID: edge.accountId,
      NO_COLOR: '1',
    },
  });
  running.push(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // wrangler created the tail (POST …/tails) and joined its WebSocket.
  await vi.waitFor(() => expect(connected()).toBeGreaterThan(before), { timeout: 60_000, interval: 200 });
  return { output: () => output };
}

/** The JSON events wrangler printed (pretty-printed objects, one after the other). */
function events(output: string): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  for (const match of output.matchAll(/^\{[\s\S]*?^\}/gm)) found.push(JSON.parse(match[0]) as Record<string, unknown>);
  return found;
}

describe('wrangler tail against the edge', { timeout: 180_000 }, () => {
  it('receives a log line and an exception, with outcome, request, response status and script version', async () => {
    const tail = await startTail([]);
    expect((await requestDataPlane(edge.url, 'tailed.example.com', '/hello')).status).toBe(200);
    expect((await requestDataPlane(edge.url, 'tailed.example.com', '/boom')).status).toBe(500);
    await vi.waitFor(() => expect(events(tail.output())).toHaveLength(2), { timeout: 30_000, interval: 100 });
    const [hello, boom] = events(tail.output());
    expect(hello).toMatchObject({
      outcome: 'ok',
      scriptName: 'tailed',
      scriptVersion: { tag: '3.1.0' },
      logs: [{ level: 'log', message: ['tailed', 'GET', '/hello'] }],
      exceptions: [],
      event: { request: { method: 'GET', url: 'http://tailed.example.com/hello' }, response: { status: 200 } },
    });
    expect(boom).toMatchObject({ outcome: 'exception', exceptions: [{ name: 'Error', message: 'tail saw this' }] });
  });

  it('applies --status, --method and --search as wrangler sends them', async () => {
    const errors = await startTail(['--status', 'error']);
    const searched = await startTail(['--search', 'second']);
    const posts = await startTail(['--method', 'POST']);
    await requestDataPlane(edge.url, 'tailed.example.com', '/first');
    await requestDataPlane(edge.url, 'tailed.example.com', '/second');
    await requestDataPlane(edge.url, 'tailed.example.com', '/boom');
    await requestDataPlane(edge.url, 'tailed.example.com', '/posted', 'POST');
    await vi.waitFor(() => expect(events(posts.output())).toHaveLength(1), { timeout: 30_000, interval: 100 });
    await vi.waitFor(() => expect(events(errors.output())).toHaveLength(1), { timeout: 30_000, interval: 100 });
    await vi.waitFor(() => expect(events(searched.output())).toHaveLength(1), { timeout: 30_000, interval: 100 });
    expect(events(errors.output())[0]).toMatchObject({ outcome: 'exception' });
    expect(events(searched.output())[0]).toMatchObject({ logs: [{ message: ['tailed', 'GET', '/second'] }] });
    expect(events(posts.output())[0]).toMatchObject({ event: { request: { method: 'POST' } } });
  });
});
