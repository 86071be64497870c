/**
 * The edge's log: a Worker's console output and uncaught exceptions, prefixed with service,
 * version tag and x-request-id, one access line per request, secrets masked.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Edge } from '../src/index.ts';
import { invocationLogLines } from '../src/dataplane/logs.ts';
import { type ApiClient, workerUpload } from './support/api-client.ts';
import { withTestEdge } from './support/test-edge.ts';

const SECRET = 'SECRET-VALUE-0123456789';
const WORKER = `export default { async fetch(request, env) {
  console.log('handling', new URL(request.url).pathname, 'with key', env.API_KEY);
  if (request.url.endsWith('/boom')) throw new Error('it broke');
  return new Response('ok');
} };`;

let edge: Edge;
let api: ApiClient;
const printed: string[] = [];

beforeAll(() => {
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed.push(String(chunk));
    return write(chunk);
  });
});
afterAll(() => {
  vi.restoreAllMocks();
});

withTestEdge('edge-logs-', (started) => ({ edge, api } = started), { zones: ['example.com'], logs: { access: true } });

/** GET with a Host header (fetch cannot set one). */
function get(path: string, headers: Record<string, string> = {}, host = 'logged.example.com'): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(new URL(path, edge.url), { headers: { host, ...headers } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('edge logs', () => {
  it('prints console output, exceptions and an access line, prefixed with service, version tag and request id; secrets masked', async () => {
    await api.ok('PUT', '/accounts/{a}/workers/scripts/logged', {
      body: workerUpload(WORKER, { annotations: { 'workers/tag': '1.4.0' }, bindings: [{ type: 'secret_text', name: 'API_KEY', text: SECRET }] }),
    });
    await api.ok('PUT', '/accounts/{a}/workers/domains', { body: { hostname: 'logged.example.com', service: 'logged', environment: 'production' } });
    expect(await get('/hello', { 'x-request-id': 'req-one' })).toBe(200);
    expect(await get('/boom', { 'x-request-id': 'req-two' })).toBe(500);
    expect(await get('/anonymous')).toBe(200);

    await vi.waitFor(() => expect(printed.join('')).toContain('/anonymous 200'), { timeout: 30_000, interval: 100 });
    const lines = printed.join('').split('\n');
    expect(lines).toContain('[logged@1.4.0 req-one] log: handling /hello with key [secret]');
    expect(lines).toContainEqual(expect.stringMatching(/^\[logged@1\.4\.0 req-one\] GET logged\.example\.com\/hello 200 \d+ms version 1\.4\.0$/));
    expect(lines).toContain('[logged@1.4.0 req-two] uncaught Error: it broke');
    expect(lines).toContainEqual(expect.stringMatching(/^\[logged@1\.4\.0 req-two\] GET logged\.example\.com\/boom 500 \d+ms version 1\.4\.0$/));
    // A request without an id gets one from the edge.
    expect(lines).toContainEqual(expect.stringMatching(/^\[logged@1\.4\.0 [0-9a-f-]{36}\] log: handling \/anonymous/));
    expect(printed.join('')).not.toContain(SECRET);
  });

  it('a service-binding subrequest carries the request id by itself: the caller\'s and the callee\'s lines share it', async () => {
    const callee = `export default { async fetch(request) { console.log('callee saw', new URL(request.url).pathname); return new Response('from callee'); } };`;
    // The caller passes no header: a hand-written fetch through its binding, and RPC-less.
    const caller = `export class Unused {}
export default { async fetch(request, env) {
  console.log('caller calls');
  const answer = await env.CALLEE.fetch('https://callee.internal/inner');
  const own = await env.CALLEE.fetch('https://callee.internal/own', { headers: { 'x-request-id': 'chosen-by-caller' } });
  return new Response(await answer.text() + ' ' + own.status);
} };`;
    await api.ok('PUT', '/accounts/{a}/workers/scripts/callee', { body: workerUpload(callee, { annotations: { 'workers/tag': '2.0.0' } }) });
    await api.ok('PUT', '/accounts/{a}/workers/scripts/caller', {
      body: workerUpload(caller, { annotations: { 'workers/tag': '3.0.0' }, bindings: [{ type: 'service', name: 'CALLEE', service: 'callee' }] }),
    });
    // A module without a default export (only classes) still starts behind the entry module.
    await api.ok('PUT', '/accounts/{a}/workers/scripts/classes-only', { body: workerUpload('export class Unused {}', { bindings: [{ type: 'service', name: 'CALLEE', service: 'callee' }] }) });
    await api.ok('PUT', '/accounts/{a}/workers/domains', { body: { hostname: 'caller.example.com', service: 'caller', environment: 'production' } });
    expect(await get('/outer', { 'x-request-id': 'req-chain' }, 'caller.example.com')).toBe(200);
    expect(await get('/outer', {}, 'caller.example.com')).toBe(200);

    // Each Worker's lines arrive when its own invocation ends (the callee's before the caller's): wait for both.
    await vi.waitFor(
      () => {
        expect(printed.join('').match(/callee saw \/inner/g)).toHaveLength(2);
        expect(printed.join('').match(/log: caller calls/g)).toHaveLength(2);
      },
      { timeout: 30_000, interval: 100 },
    );
    const lines = printed.join('').split('\n');
    expect(lines).toContain('[caller@3.0.0 req-chain] log: caller calls');
    expect(lines).toContain('[callee@2.0.0 req-chain] log: callee saw /inner');
    // An id the caller sets itself is kept.
    expect(lines).toContain('[callee@2.0.0 chosen-by-caller] log: callee saw /own');
    // The id the edge gave a request without one reaches the callee too.
    const generated = lines.map((line) => /^\[caller@3\.0\.0 ([0-9a-f-]{36})\] log: caller calls$/.exec(line)?.[1]).find(Boolean);
    expect(generated).toBeDefined();
    expect(lines).toContain(`[callee@2.0.0 ${generated}] log: callee saw /inner`);
  });

  it('--quiet (access: false) keeps console lines and drops the access line', () => {
    const trace = {
      eventTimestamp: 1,
      outcome: 'ok',
      cpuTime: 0,
      wallTime: 3,
      logs: [{ level: 'warn', message: ['careful'], timestamp: 1 }],
      exceptions: [],
      event: { request: { url: 'https://a.example.com/x', method: 'POST', headers: { 'x-request-id': 'r' } }, response: { status: 201 } },
    };
    const invocation = { script: 'a', versionId: 'v', timestamp: 1, status: 201, outcome: 'ok', error: false, cpuTimeMs: 0, wallTimeMs: 3 };
    const label = { tag: '2.0.0', secrets: [] };
    expect(invocationLogLines(invocation, trace, label, { access: false }, 10)).toEqual(['[a@2.0.0 r] warn: careful']);
    expect(invocationLogLines(invocation, trace, label, { access: true }, 10)).toEqual(['[a@2.0.0 r] warn: careful', '[a@2.0.0 r] POST a.example.com/x 201 3ms version 2.0.0']);
  });
});
