import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDataPlane, fetchWithHost, type DataPlane, type HostRequestInit } from '../src/dataplane/index.ts';
import type { Snapshot } from '../src/snapshot.ts';
import { echoWorker, script, snapshot, version } from './dataplane-fixtures.ts';

process.env.WRANGLER_SEND_METRICS = 'false';

interface Echo {
  worker: string;
  url: string;
}

const kvWorker = `export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const key = url.searchParams.get('key') ?? 'k';
    if (request.method === 'PUT') {
      await env.STORE.put(key, await request.text());
      return new Response('stored');
    }
    if (url.pathname === '/enqueue') {
      await env.JOBS.send({ body: url.searchParams.get('body') });
      return new Response('queued');
    }
    return new Response((await env.STORE.get(key)) ?? '<missing>');
  },
};`;

const consumerWorker = `export default {
  async queue(batch, env) {
    for (const message of batch.messages) {
      await env.STORE.put('from-queue', message.body.body);
      message.ack();
    }
  },
};`;

const cronWorker = `export default {
  async scheduled(controller, env) {
    await env.STORE.put('from-cron', controller.cron);
  },
  async fetch() {
    return new Response('cron worker');
  },
};`;

const callerWorker = `export default {
  async fetch(request, env) {
    const target = new URL(request.url).pathname === '/split' ? env.SPLIT : env.API;
    const answer = await target.fetch('https://internal.example/from-caller', { headers: request.headers });
    return new Response(JSON.stringify({ via: 'caller', answer: await answer.json() }), { headers: { 'content-type': 'application/json' } });
  },
};`;

const storageWorker = `export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === '/vars') return Response.json({ mode: env.MODE, token: env.TOKEN, limits: env.LIMITS });
    await env.DB.exec('CREATE TABLE IF NOT EXISTS notes (body TEXT)');
    if (request.method === 'POST') {
      const body = await request.text();
      await env.DB.prepare('INSERT INTO notes (body) VALUES (?)').bind(body).run();
      await env.FILES.put('latest.txt', body);
      return new Response('saved');
    }
    const { results } = await env.DB.prepare('SELECT body FROM notes').all();
    const file = await env.FILES.get('latest.txt');
    return Response.json({ notes: results.map((row) => row.body), file: file ? await file.text() : null });
  },
};`;

const inspectWorker = `export default {
  async fetch(request) {
    return Response.json({
      method: request.method,
      body: await request.text(),
      connectingIp: request.headers.get('cf-connecting-ip'),
      proto: request.headers.get('x-forwarded-proto'),
      visitor: request.headers.get('cf-visitor'),
      custom: request.headers.get('x-custom'),
      colo: request.cf?.colo ?? null,
    });
  },
};`;

const throwingWorker = `export default {
  async fetch() {
    throw new Error('the handler failed on purpose');
  },
};`;

const store = { type: 'kv_namespace', name: 'STORE', namespace_id: 'kv-shared' } as const;

function fleet(): Snapshot {
  return snapshot({
    scripts: [
      script('site', [version('site-v1', echoWorker('site'))]),
      script('site-hello', [version('hello-v1', echoWorker('site-hello'))]),
      script('api', [version('api-v1', echoWorker('api'))]),
      script('secure', [version('secure-v1', echoWorker('secure'))]),
      script('split', [
        version('split-a', echoWorker('split-a'), { percentage: 50 }),
        version('split-b', echoWorker('split-b'), { percentage: 50 }),
      ]),
      script('shop', [version('shop-v1', echoWorker('shop'))]),
      script('dev', [version('dev-v1', echoWorker('dev'))], { workersDev: true }),
      script('kv', [version('kv-v1', kvWorker, { bindings: [store, { type: 'queue', name: 'JOBS', queue_name: 'jobs' }] })]),
      script('storage', [
        version('storage-v1', storageWorker, {
          bindings: [
            { type: 'd1', name: 'DB', id: 'd1-notes' },
            { type: 'r2_bucket', name: 'FILES', bucket_name: 'files' },
            { type: 'plain_text', name: 'MODE', text: 'edge' },
            { type: 'secret_text', name: 'TOKEN', text: 'not-for-logs' },
            { type: 'json', name: 'LIMITS', json: { max: 3, tags: ['a'] } },
          ],
        }),
      ]),
      script('inspect', [version('inspect-v1', inspectWorker)]),
      script('thrower', [version('thrower-v1', throwingWorker)]),
      script('consumer', [version('consumer-v1', consumerWorker, { bindings: [store] })]),
      script('cron', [version('cron-v1', cronWorker, { bindings: [store] })], { schedules: ['*/5 * * * *'] }),
      script('caller', [
        version('caller-v1', callerWorker, {
          bindings: [
            { type: 'service', name: 'SPLIT', service: 'split' },
            { type: 'service', name: 'API', service: 'api' },
          ],
        }),
      ]),
    ],
    routes: [
      { zoneName: 'example.com', pattern: 'example.com/*', script: 'site' },
      { zoneName: 'example.com', pattern: 'example.com/hello/*', script: 'site-hello' },
      { zoneName: 'example.com', pattern: 'example.com/static/*' },
      { zoneName: 'example.com', pattern: 'api.example.com/*', script: 'api' },
      { zoneName: 'example.com', pattern: 'https://secure.example.com/*', script: 'secure' },
      { zoneName: 'example.com', pattern: 'split.example.com/*', script: 'split' },
      { zoneName: 'example.com', pattern: 'kv.example.com/*', script: 'kv' },
      { zoneName: 'example.com', pattern: 'cron.example.com/*', script: 'cron' },
      { zoneName: 'example.com', pattern: 'storage.example.com/*', script: 'storage' },
      { zoneName: 'example.com', pattern: 'inspect.example.com/*', script: 'inspect' },
      { zoneName: 'example.com', pattern: 'thrower.example.com/*', script: 'thrower' },
      { zoneName: 'example.com', pattern: 'caller.example.com/*', script: 'caller' },
      { zoneName: 'example.com', pattern: 'ghost.example.com/*', script: 'ghost' },
    ],
    customDomains: [{ hostname: 'shop.example.org', script: 'shop' }],
    queueConsumers: [{ queueName: 'jobs', script: 'consumer', settings: { batch_size: 1, max_wait_time_ms: 1000 } }],
  });
}

let persistDir: string;
let dataPlane: DataPlane;

function request(dataPlane: DataPlane, host: string, pathAndQuery = '/', init: HostRequestInit = {}): Promise<Response> {
  return fetchWithHost(dataPlane.url, host, pathAndQuery, init);
}

async function echo(host: string, pathAndQuery = '/', headers: Record<string, string> = {}): Promise<Echo> {
  const response = await request(dataPlane, host, pathAndQuery, { headers });
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as Echo;
}

/** The data plane's JSON error for `host` + `pathAndQuery`, once its status and `error` code are checked. */
async function refusal(host: string, pathAndQuery: string, status: number, error: string): Promise<{ error: string; message: string; host?: string; path?: string }> {
  const response = await request(dataPlane, host, pathAndQuery);
  expect(response.status).toBe(status);
  const body = (await response.json()) as { error: string; message: string; host?: string; path?: string };
  expect(body.error).toBe(error);
  return body;
}

beforeAll(async () => {
  persistDir = await mkdtemp(path.join(tmpdir(), 'edge-dataplane-'));
  dataPlane = await createDataPlane({ port: 0, persistDir });
  await dataPlane.apply(fleet());
});

afterAll(async () => {
  await dataPlane?.dispose();
  await rm(persistDir, { recursive: true, force: true });
});

describe('dataplane: routing', () => {
  it('dataplane: listens on a free port at 127.0.0.1', () => {
    expect(dataPlane.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(dataPlane.url).not.toMatch(/:0$/);
  });

  it('dataplane: routes by host, and the worker sees the public URL', async () => {
    expect(await echo('api.example.com', '/v1/users?x=1')).toEqual({ worker: 'api', url: 'http://api.example.com/v1/users?x=1' });
    expect((await echo('example.com', '/')).worker).toBe('site');
  });

  it('dataplane: routes by path, the most specific route winning', async () => {
    expect((await echo('example.com', '/hello/world')).worker).toBe('site-hello');
    expect((await echo('example.com', '/hellothere')).worker).toBe('site');
  });

  it('dataplane: a route without a script negates: 404 saying which route', async () => {
    const body = await refusal('example.com', '/static/logo.png', 404, 'route_negated');
    expect(body.message).toContain('example.com/static/*');
  });

  it('dataplane: no route matched: 404 naming the host and path', async () => {
    const body = await refusal('nowhere.example.net', '/some/path?q=1', 404, 'no_route_matched');
    expect(body).toMatchObject({ host: 'nowhere.example.net', path: '/some/path?q=1' });
    expect(body.message).toContain('No route');
  });

  it('dataplane: a route to a script with no deployment answers 503 naming the script', async () => {
    const body = await refusal('ghost.example.com', '/', 503, 'script_not_deployed');
    expect(body.message).toContain('"ghost"');
  });

  it('dataplane: an https-only route matches only when X-Forwarded-Proto says https', async () => {
    expect(await echo('secure.example.com', '/', { 'x-forwarded-proto': 'https' })).toEqual({ worker: 'secure', url: 'https://secure.example.com/' });
    const plain = await request(dataPlane, 'secure.example.com', '/');
    expect(plain.status).toBe(404);
  });

  it('dataplane: the worker gets the method, body and headers, plus the headers and request.cf Cloudflare adds', async () => {
    const response = await request(dataPlane, 'inspect.example.com', '/submit', {
      method: 'POST',
      body: 'payload',
      headers: { 'x-custom': 'kept', 'x-forwarded-proto': 'https' },
    });
    expect(await response.json()).toEqual({
      method: 'POST',
      body: 'payload',
      connectingIp: '127.0.0.1',
      proto: 'https',
      visitor: '{"scheme":"https"}',
      custom: 'kept',
      colo: 'LOCAL',
    });
  });

  it('dataplane: the port in the Host header plays no part', async () => {
    expect((await echo('api.example.com:8787', '/')).worker).toBe('api');
    // Nor in the URL the Worker sees, whose path is normalised as a URL parser does.
    expect(await echo('API.example.com:8787', '/a/../v1?q=%20x', { 'x-forwarded-proto': 'https' })).toEqual({ worker: 'api', url: 'https://api.example.com/v1?q=%20x' });
  });

  it('dataplane: a Worker that throws answers a 5xx that shows no stack trace nor host path', async () => {
    const response = await request(dataPlane, 'thrower.example.com', '/');
    const body = await response.text();
    expect(response.status).toBeGreaterThanOrEqual(500);
    expect(response.status).toBeLessThan(600);
    expect(response.headers.get('cf-ray')).toMatch(/^[0-9a-f]{16}-LOCAL$/);
    for (const leak of [process.cwd(), persistDir, tmpdir(), 'node_modules', 'workerd', '.c++', 'on purpose']) expect(body).not.toContain(leak);
    // workerd's own answer: the listener calls the version Worker's socket directly, no router in between.
    expect(body).toBe('Internal Server Error');
  });

  it('dataplane: a custom domain sends its whole host to its script', async () => {
    expect(await echo('shop.example.org', '/cart?id=3')).toEqual({ worker: 'shop', url: 'http://shop.example.org/cart?id=3' });
    expect((await request(dataPlane, 'other.example.org', '/')).status).toBe(404);
  });

  it('dataplane: <script>.<subdomain>.workers.dev serves scripts with workers.dev enabled, only those', async () => {
    expect((await echo('dev.edgeops.workers.dev', '/')).worker).toBe('dev');
    expect((await request(dataPlane, 'site.edgeops.workers.dev', '/')).status).toBe(404);
    expect((await request(dataPlane, 'dev.other.workers.dev', '/')).status).toBe(404);
  });
});

describe('dataplane: gradual deployments', () => {
  it('dataplane: a 50/50 deployment splits traffic about evenly', async () => {
    const counts = new Map<string, number>();
    for (let index = 0; index < 300; index++) {
      const { worker } = await echo('split.example.com', '/');
      counts.set(worker, (counts.get(worker) ?? 0) + 1);
    }
    // Binomial(300, 0.5): 99% of runs land within 128..172; 105..195 makes a flake vanishingly rare.
    expect([...counts.keys()].sort()).toEqual(['split-a', 'split-b']);
    expect(counts.get('split-a')).toBeGreaterThan(105);
    expect(counts.get('split-b')).toBeGreaterThan(105);
  });

  it('dataplane: the same Cloudflare-Workers-Version-Key always reaches the same version', async () => {
    const seen = new Map<string, Set<string>>();
    for (const key of ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi']) {
      const versions = new Set<string>();
      for (let index = 0; index < 10; index++) versions.add((await echo('split.example.com', '/', { 'cloudflare-workers-version-key': key })).worker);
      seen.set(key, versions);
    }
    for (const versions of seen.values()) expect(versions.size).toBe(1);
    const reached = new Set([...seen.values()].flatMap((versions) => [...versions]));
    expect(reached).toEqual(new Set(['split-a', 'split-b']));
  });

  it('dataplane: Cloudflare-Workers-Version-Overrides picks the named version of the named script', async () => {
    for (const id of ['split-a', 'split-b']) {
      for (let index = 0; index < 10; index++) {
        const { worker } = await echo('split.example.com', '/', { 'cloudflare-workers-version-overrides': `other="x", split="${id}"` });
        expect(worker).toBe(id);
      }
    }
  });

  it('dataplane: an override naming a version outside the deployment is ignored', async () => {
    const workers = new Set<string>();
    for (let index = 0; index < 40; index++) {
      workers.add((await echo('split.example.com', '/', { 'cloudflare-workers-version-overrides': 'split="not-deployed"' })).worker);
    }
    expect(workers).toEqual(new Set(['split-a', 'split-b']));
  });
});

describe('dataplane: bindings', () => {
  it('dataplane: a service binding reaches another script, directly or through its percentage split', async () => {
    const toApi = (await (await request(dataPlane, 'caller.example.com', '/api')).json()) as { via: string; answer: Echo };
    expect(toApi).toEqual({ via: 'caller', answer: { worker: 'api', url: 'https://internal.example/from-caller' } });
    const reached = new Set<string>();
    for (let index = 0; index < 40; index++) {
      const body = (await (await request(dataPlane, 'caller.example.com', '/split')).json()) as { answer: Echo };
      reached.add(body.answer.worker);
    }
    expect(reached).toEqual(new Set(['split-a', 'split-b']));
    const pinned = (await (await request(dataPlane, 'caller.example.com', '/split', { headers: { 'cloudflare-workers-version-overrides': 'split="split-b"' } })).json()) as {
      answer: Echo;
    };
    expect(pinned.answer.worker).toBe('split-b');
  });

  it('dataplane: plain_text, secret_text and json bindings reach the worker as env values', async () => {
    const vars = await (await request(dataPlane, 'storage.example.com', '/vars')).json();
    expect(vars).toEqual({ mode: 'edge', token: 'not-for-logs', limits: { max: 3, tags: ['a'] } });
  });

  it('dataplane: D1 and R2 bindings work, keyed by database id and bucket name', async () => {
    expect(await (await request(dataPlane, 'storage.example.com', '/', { method: 'POST', body: 'first note' })).text()).toBe('saved');
    expect(await (await request(dataPlane, 'storage.example.com', '/')).json()).toEqual({ notes: ['first note'], file: 'first note' });
  });

  it('dataplane: a queue producer delivers to the queue consumer', async () => {
    const queued = await request(dataPlane, 'kv.example.com', '/enqueue?body=hello-queue');
    expect(await queued.text()).toBe('queued');
    let seen = '';
    for (let attempt = 0; attempt < 50 && seen !== 'hello-queue'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      seen = await (await request(dataPlane, 'kv.example.com', '/?key=from-queue')).text();
    }
    expect(seen).toBe('hello-queue');
  });

  it('dataplane: scheduled() runs the scheduled handler of the script’s current version', async () => {
    await dataPlane.scheduled('cron', '*/5 * * * *');
    expect(await (await request(dataPlane, 'kv.example.com', '/?key=from-cron')).text()).toBe('*/5 * * * *');
    await expect(dataPlane.scheduled('ghost', '* * * * *')).rejects.toThrow(/"ghost" has no deployment/);
  });
});

describe('dataplane: apply', () => {
  it('dataplane: a worker that fails to start makes apply reject, and the previous snapshot keeps serving', async () => {
    const broken = fleet();
    broken.scripts.push(script('broken', [version('broken-v1', 'export default { fetch() { return new Response("x") ')]));
    const failure = await dataPlane.apply(broken).then(
      () => new Error('apply resolved'),
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(Error);
    // Names the failing script@version and carries workerd's own error.
    expect((failure as Error).message).toMatch(/worker "broken@broken-v1" failed to start[\s\S]*SyntaxError/);
    expect((await echo('api.example.com', '/')).worker).toBe('api');
  });

  it('dataplane: a version whose main module is missing is refused before workerd is touched', async () => {
    const missing = fleet();
    missing.scripts.push(script('hollow', [{ ...version('hollow-v1', echoWorker('hollow')), mainModule: 'worker.js' }]));
    await expect(dataPlane.apply(missing)).rejects.toThrow(/main module "worker.js" of "hollow@hollow-v1" is not among its modules \("index.js"\)/);
    expect((await echo('api.example.com', '/')).worker).toBe('api');
  });

  it('dataplane: apply replaces what is served', async () => {
    const next = fleet();
    next.scripts = next.scripts.map((candidate) => (candidate.name === 'api' ? script('api', [version('api-v2', echoWorker('api-v2'))]) : candidate));
    await dataPlane.apply(next);
    expect((await echo('api.example.com', '/')).worker).toBe('api-v2');
    await dataPlane.apply(fleet());
    expect((await echo('api.example.com', '/')).worker).toBe('api');
  });
});

const WEBSOCKET_ECHO = `export default {
  async fetch(request) {
    if (request.headers.get('upgrade') !== 'websocket') return new Response('expected a WebSocket', { status: 426 });
    const [client, server] = Object.values(new WebSocketPair());
    server.accept();
    server.addEventListener('message', (event) => server.send('echo:' + event.data));
    return new Response(null, { status: 101, webSocket: client });
  },
};`;

/** A WebSocket handshake through the data plane; resolves with the 101's socket, or the refusal's status and body. */
function upgrade(host: string, pathAndQuery: string): Promise<{ socket: Socket } | { status: number; body: string }> {
  const target = new URL(dataPlane.url);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({
      host: target.hostname,
      port: target.port,
      path: pathAndQuery,
      headers: { host, connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': randomBytes(16).toString('base64') },
    });
    outgoing.on('upgrade', (_response, socket) => resolve({ socket }));
    outgoing.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** Sends one masked text frame (RFC 6455 §5.2; a client must mask) and reads the server's one unmasked text frame. */
function exchangeText(socket: Socket, text: string): Promise<string> {
  const payload = Buffer.from(text);
  const mask = randomBytes(4);
  socket.write(Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, payload.map((byte, index) => byte ^ (mask[index % 4] ?? 0))]));
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const length = (received[1] ?? 0) & 0x7f;
      if (received.length >= 2 + length) resolve(received.subarray(2, 2 + length).toString('utf8'));
    });
  });
}

describe('dataplane: WebSockets through the listener', () => {
  it('dataplane: a Worker accepts a WebSocket through the data plane and echoes a message; an upgrade with no route gets the router\'s JSON 404', async () => {
    const withSockets = fleet();
    withSockets.scripts.push(script('sockets', [version('sockets-v1', WEBSOCKET_ECHO)]));
    withSockets.routes.push({ zoneName: 'example.com', pattern: 'ws.example.com/*', script: 'sockets' });
    await dataPlane.apply(withSockets);
    try {
      const accepted = await upgrade('ws.example.com', '/socket');
      if (!('socket' in accepted)) throw new Error(`the upgrade was refused: ${accepted.status} ${accepted.body}`);
      try {
        expect(await exchangeText(accepted.socket, 'hello')).toBe('echo:hello');
      } finally {
        accepted.socket.destroy();
      }
      const refused = await upgrade('nowhere.example.net', '/socket');
      expect(refused).toMatchObject({ status: 404 });
      expect('body' in refused && JSON.parse(refused.body)).toMatchObject({ error: 'no_route_matched' });
    } finally {
      await dataPlane.apply(fleet());
    }
  });
});

describe('dataplane: persistence', () => {
  it('dataplane: KV, D1 and R2 data persist across dispose and a new data plane on the same persistDir', async () => {
    const put = await request(dataPlane, 'kv.example.com', '/?key=durable', { method: 'PUT', body: 'kept' });
    expect(await put.text()).toBe('stored');
    expect(await (await request(dataPlane, 'storage.example.com', '/', { method: 'POST', body: 'durable note' })).text()).toBe('saved');
    const disposed = dataPlane;
    await disposed.dispose();
    await disposed.dispose();
    await expect(disposed.apply(fleet())).rejects.toThrow('disposed');
    dataPlane = await createDataPlane({ port: 0, persistDir });
    await dataPlane.apply(fleet());
    expect(await (await request(dataPlane, 'kv.example.com', '/?key=durable')).text()).toBe('kept');
    const stored = (await (await request(dataPlane, 'storage.example.com', '/')).json()) as { notes: string[]; file: string };
    expect(stored.notes).toContain('durable note');
    expect(stored.file).toBe('durable note');
  });
});
