/**
 * The data plane's stable listener (dataplane/listener.ts) over two stand-in runtimes, "blue" and
 * "green" (plain Node servers), so a test decides exactly when a request is in flight and when a
 * swap runs: in-flight requests finish on the old runtime before the swap, requests that arrive
 * during it wait and go to the new one with their bodies intact, and the wait is bounded.
 * The same listener in front of workerd is exercised end to end by scripts/reliability/test/.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fetchWithHost } from '../src/dataplane/client.ts';
import { startListenerThread, type DataPlaneListener } from '../src/dataplane/listener-host.ts';

interface StandIn {
  name: string;
  url: URL;
  /** Requests to /slow wait until this is called. */
  releaseSlow(): void;
  slowArrived: Promise<void>;
  close(): Promise<void>;
}

async function standIn(name: string): Promise<StandIn> {
  let releaseSlow = (): void => undefined;
  const slow = new Promise<void>((resolve) => (releaseSlow = resolve));
  let arrived = (): void => undefined;
  const slowArrived = new Promise<void>((resolve) => (arrived = resolve));
  const server = http.createServer((req, res) => {
    const hash = createHash('sha256');
    let bytes = 0;
    req.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      bytes += chunk.length;
    });
    req.on('end', async () => {
      if (req.url === '/slow') {
        arrived();
        await slow;
      }
      if (req.url === '/big') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.end(BIG_ANSWER);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ runtime: name, path: req.url, bytes, sha256: hash.digest('hex'), connecting: req.headers['cf-connecting-ip'], cfBlob: req.headers['mf-cf-blob'] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    name,
    url: new URL(`http://127.0.0.1:${port}`),
    releaseSlow,
    slowArrived,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** 16 MiB: far more than the sockets buffer, so the listener has to wait for the client to drain. */
const BIG_ANSWER = Buffer.alloc(16 * 1024 * 1024, 'edgeops');

let blue: StandIn;
let green: StandIn;
let runtime: StandIn | undefined;
let listener: DataPlaneListener;

beforeAll(async () => {
  blue = await standIn('blue');
  green = await standIn('green');
  runtime = blue;
  listener = await startListenerThread({ host: '127.0.0.1', port: 0, bounds: { maxHeld: 3, drainMs: 120_000 } }, async () => runtime?.url);
});
afterAll(async () => {
  await listener?.close();
  await blue?.close();
  await green?.close();
});

const HOST = 'api.example.com';
const body = (answer: Response) => answer.json() as Promise<{ runtime: string; bytes: number; sha256: string; connecting?: string; cfBlob?: string }>;

describe('listener: hold and drain around a runtime swap', () => {
  it('listener: in-flight requests finish on the old runtime, requests that came during the swap reach the new one with their bodies', async () => {
    expect(await body(await fetchWithHost(listener.url, HOST, '/before'))).toMatchObject({ runtime: 'blue', connecting: '127.0.0.1' });

    const inFlight = fetchWithHost(listener.url, HOST, '/slow');
    await blue.slowArrived;
    const events: string[] = [];
    const swapped = listener.swap(async () => {
      events.push('swap');
      runtime = green;
    });
    // 1 MiB of pseudo-random bytes, POSTed while the swap waits for /slow.
    const upload = createHash('sha512').update('seed').digest();
    const payload = Buffer.concat(Array.from({ length: 16_384 }, (_, index) => upload.subarray(0, 64).map((byte) => byte ^ (index & 0xff))));
    const held = fetchWithHost(listener.url, HOST, '/held', { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: payload }).then(async (answer) => {
      events.push('held answered');
      return body(answer);
    });
    await vi.waitFor(() => expect(listener.waiting).toBe(1), { timeout: 60_000, interval: 20 });
    expect(events, 'the swap waits for the request in flight').toEqual([]);

    blue.releaseSlow();
    expect(await body(await inFlight)).toMatchObject({ runtime: 'blue' });
    await swapped;
    expect(await held).toMatchObject({ runtime: 'green', path: '/held', bytes: payload.length, sha256: createHash('sha256').update(payload).digest('hex'), connecting: '127.0.0.1' });
    expect(events).toEqual(['swap', 'held answered']);
  });

  it('listener: the runtime learns the address that connected, whatever the client claims', async () => {
    const answer = await fetchWithHost(listener.url, HOST, '/who', { headers: { 'cf-connecting-ip': '6.6.6.6' } });
    expect(await body(answer)).toMatchObject({ connecting: '127.0.0.1' });
  });

  it('listener: the runtime gets request.cf in the cf-blob header from the listener, never one the client sent', async () => {
    const answer = await fetchWithHost(listener.url, HOST, '/cf', { headers: { 'mf-cf-blob': '{"colo":"SPOOF"}', 'x-edge-cf-colo': 'FRA' } });
    const seen = await body(answer);
    expect(JSON.parse(seen.cfBlob ?? '{}')).toMatchObject({ colo: 'FRA', country: 'XX' });
    expect(answer.headers.get('cf-ray')).toMatch(/^[0-9a-f]{16}-FRA$/);
  });

  it('listener: an answer larger than the sockets buffer reaches the client whole (back-pressure pauses and resumes the runtime)', async () => {
    const answer = await fetchWithHost(listener.url, HOST, '/big');
    expect(answer.status).toBe(200);
    const received = Buffer.from(await answer.arrayBuffer());
    expect(received.length).toBe(BIG_ANSWER.length);
    expect(createHash('sha256').update(received).digest('hex')).toBe(createHash('sha256').update(BIG_ANSWER).digest('hex'));
  });

  it('listener: a failed swap still releases the held requests, to whatever runtime runs afterwards', async () => {
    let release = (): void => undefined;
    const failing = listener.swap(async () => {
      await new Promise<void>((resolve) => (release = resolve));
      throw new Error('the new snapshot did not start');
    });
    const held = fetchWithHost(listener.url, HOST, '/after-failure');
    await vi.waitFor(() => expect(listener.waiting).toBe(1), { timeout: 60_000, interval: 20 });
    release();
    await expect(failing).rejects.toThrow('the new snapshot did not start');
    expect(await body(await held)).toMatchObject({ runtime: 'green' });
  });

  it('listener: the hold is bounded: past maxHeld waiting requests the next one is answered 503 JSON with Retry-After', async () => {
    let release = (): void => undefined;
    const swapped = listener.swap(() => new Promise<void>((resolve) => (release = resolve)));
    const held = [1, 2, 3].map((index) => fetchWithHost(listener.url, HOST, `/held-${index}`));
    await vi.waitFor(() => expect(listener.waiting).toBe(3), { timeout: 60_000, interval: 20 });
    const refused = await fetchWithHost(listener.url, HOST, '/one-too-many');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.headers.get('x-edge-error')).toBe('edge_busy');
    expect(await refused.json()).toMatchObject({ error: 'edge_busy' });
    release();
    await swapped;
    for (const answer of await Promise.all(held)) expect(answer.status).toBe(200);
  });

  it('listener: with no runtime after a swap (a failed apply whose restore failed too), requests get a JSON 503; the next good swap serves again', async () => {
    runtime = undefined;
    await listener.swap(async () => undefined);
    const refused = await fetchWithHost(listener.url, HOST, '/down');
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ error: 'runtime_unavailable' });
    runtime = blue;
    await listener.swap(async () => undefined);
    expect(await body(await fetchWithHost(listener.url, HOST, '/up'))).toMatchObject({ runtime: 'blue' });
  });
});
