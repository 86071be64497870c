/** Fault injection on the control plane: what the reconciler's retry tests rely on. */
import { afterEach, describe, expect, it } from 'vitest';
import type { Edge } from '../src/index.ts';
import { type ApiClient, textWorker, workerUpload } from './support/api-client.ts';
import { withTestEdge } from './support/test-edge.ts';

let edge: Edge;
let api: ApiClient;

withTestEdge('edge-faults-', (started) => ({ edge, api } = started));

afterEach(() => {
  edge.faults.clear();
});

describe('faults', () => {
  it('faults: answers 429 with retry-after for the chosen number of requests, then recovers', async () => {
    edge.faults.add({ method: 'GET', path: '/accounts/*/workers/scripts', times: 2, action: { kind: 'rate-limit', retryAfterSeconds: 3 } });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const limited = await api.call('GET', '/accounts/{a}/workers/scripts');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('3');
      expect(limited.body.errors[0]?.code).toBe(1015);
    }
    expect((await api.call('GET', '/accounts/{a}/workers/scripts')).status).toBe(200);
  });

  it('faults: answers a chosen 5xx and leaves the state as it was', async () => {
    edge.faults.add({ method: 'PUT', path: '/accounts/*/workers/scripts/**', times: 1, action: { kind: 'status', status: 503 } });
    const failed = await api.call('PUT', '/accounts/{a}/workers/scripts/flaky', { body: workerUpload(textWorker('flaky')) });
    expect(failed.status).toBe(503);
    expect(failed.body).toMatchObject({ success: false, result: null });
    expect((await api.ok<{ id: string }[]>('GET', '/accounts/{a}/workers/scripts')).map((script) => script.id)).not.toContain('flaky');
    expect((await api.call('PUT', '/accounts/{a}/workers/scripts/flaky', { body: workerUpload(textWorker('flaky')) })).status).toBe(200);
  });

  it('faults: drops the connection without an answer', async () => {
    edge.faults.add({ path: /\/zones$/, times: 1, action: { kind: 'drop' } });
    await expect(fetch(`${edge.apiUrl}/zones`, { headers: { authorization: `Bearer ${edge.token}` } })).rejects.toThrow();
    expect((await api.call('GET', '/zones')).status).toBe(200);
  });

  it('faults: delays a request and then answers it normally', async () => {
    edge.faults.add({ method: 'GET', path: '/zones', times: 1, action: { kind: 'delay', ms: 300 } });
    const started = performance.now();
    const response = await api.call('GET', '/zones');
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(response.status).toBe(200);
  });

  it('faults: logs method, path and status of every request, never the token', async () => {
    edge.faults.clearLog();
    await api.call('GET', '/zones?name=example.com');
    await api.call('GET', '/accounts/{a}/workers/scripts', { token: 'wrong' });
    const log = edge.faults.log();
    expect(log.map(({ method, path, query, status }) => ({ method, path, query, status }))).toEqual([
      { method: 'GET', path: '/zones', query: '?name=example.com', status: 200 },
      { method: 'GET', path: `/accounts/${edge.accountId}/workers/scripts`, query: '', status: 403 },
    ]);
    expect(JSON.stringify(log)).not.toContain(edge.token);
  });

  it('faults: can be driven out of process through /__edge/faults with the API token', async () => {
    const base = edge.apiUrl.replace(/\/client\/v4$/, '/__edge/faults');
    const headers = { authorization: `Bearer ${edge.token}`, 'content-type': 'application/json' };
    expect((await fetch(base)).status).toBe(401);
    const invalid = await fetch(base, { method: 'POST', headers, body: JSON.stringify({ path: '/zones', action: { kind: 'status', status: 200 } }) });
    expect(invalid.status).toBe(400);
    const created = await fetch(base, { method: 'POST', headers, body: JSON.stringify({ method: 'GET', path: '/zones', times: 1, action: { kind: 'status', status: 502, message: 'bad gateway' } }) });
    expect(created.status).toBe(200);
    const failed = await api.call('GET', '/zones');
    expect(failed.status).toBe(502);
    expect(failed.body.errors[0]?.message).toBe('bad gateway');
    const state = (await (await fetch(base, { headers })).json()) as { result: { rules: unknown[]; log: { path: string; status: number; fault?: string }[] } };
    expect(state.result.rules).toEqual([]);
    expect(state.result.log.at(-1)).toMatchObject({ path: '/zones', status: 502, fault: 'status' });
    expect((await fetch(`${base}?log=true`, { method: 'DELETE', headers })).status).toBe(200);
    expect(edge.faults.log().filter((entry) => entry.path === '/zones')).toEqual([]);
  });
});
