/**
 * The data plane's stable listener: a Node HTTP server that owns the data-plane port and forwards
 * each request to workerd: straight to the version Worker that serves it, or to a shard's router
 * for what reaches no deployed Worker (upstream-selection.ts). A shard's workerd restarts on an apply that changes it (shard-set.ts);
 * the listener does not, so clients never see the port close. During an apply it
 * holds new requests, lets the ones in flight finish (request-gate.ts), and once the new runtime is
 * up it sends the held requests there. Held requests keep their bodies unread (TCP back-pressure
 * holds them at the client) until they go on, streamed, to the runtime.
 *
 * It also answers what a Worker must never see: malformed requests (malformed-request.ts) and
 * whatever Node's parser rejects get a JSON 400, never workerd's plain-text 500.
 *
 * Requests go on through an undici connection pool (request-forward.ts, headers: forwarded-headers.ts);
 * WebSocket upgrades go through upgrade-forward.ts; the listener's own answers are edge-answer.ts's.
 * The listener runs in a thread of its own (listener-thread.ts),
 * driven from the edge's main thread by listener-host.ts.
 */
import http, { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Pool } from 'undici';
import { answer, answerSocket, badRequest, RUNTIME_DOWN } from './edge-answer.ts';
import type { EdgeErrorBody } from './edge-error.ts';
import { malformedRequestReason } from './malformed-request.ts';
import { forwardRequest } from './request-forward.ts';
import { forwardUpgrade } from './upgrade-forward.ts';
import { DEFAULT_GATE_BOUNDS, RequestGate, type DrainOutcome, type GateBounds } from './request-gate.ts';
import { selectUpstreams, type ShardUpstreams, type UpstreamSelection } from './upstream-selection.ts';

export interface ListenerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  bounds?: GateBounds;
}

/** The listening server, run inside the listener's thread (listener-thread.ts). */
export interface Listener {
  /** The port it listens on (the one asked for, or the free one picked for 0). */
  port: number;
  /** Stops admitting requests and waits until none is in flight (bounded). */
  hold(): Promise<DrainOutcome>;
  /** Sends requests to the shards' runtimes from now on (undefined: the runtime is down), starting with the held ones. */
  release(upstreams: ShardUpstreams | undefined): void;
  close(): Promise<void>;
}

interface Upstream {
  origin: URL;
  pool: Pool;
}

/** Idle client connections stay open this long (Node's default of 5 s races clients that reuse them). */
const KEEP_ALIVE_MS = 60_000;
/**
 * workerd closes a connection idle for 5 s (measured; it sends no Keep-Alive hint), so the pool
 * drops its idle connections well before that: reusing one workerd is closing fails the request.
 */
const POOL_IDLE_MS = 2_000;
const POOL_CONNECTIONS = 128;
function connect(upstream: string): Upstream {
  const origin = new URL(upstream);
  return { origin, pool: new Pool(origin.origin, { connections: POOL_CONNECTIONS, keepAliveTimeout: POOL_IDLE_MS, keepAliveMaxTimeout: POOL_IDLE_MS }) };
}

function retire(upstream: Upstream): void {
  void upstream.pool.destroy().catch(() => undefined);
}

/** Listens at `options.host:port` and forwards to the shards' runtimes (upstream-selection.ts); `onWaiting` hears how many requests wait during a hold. */
export async function startListener(options: ListenerOptions, upstreams: ShardUpstreams | undefined, onWaiting: (count: number) => void = () => undefined): Promise<Listener> {
  const gate = new RequestGate(options.bounds ?? DEFAULT_GATE_BOUNDS, onWaiting);
  const upgraded = new Set<Socket>();
  let current: UpstreamSelection<Upstream> | undefined = selectUpstreams(upstreams, undefined, connect, retire);

  /** Waits at the gate (during a swap), then runs `go` with the gate's count taken; `go` calls its `done` once. */
  function admit(go: (done: () => void) => void, refuse: (body: EdgeErrorBody) => void): void {
    const admission = gate.enter();
    if (admission.kind === 'full') {
      refuse({ error: 'edge_busy', message: `The data plane is applying a change and ${gate.waiting} requests already wait for it; retry in a second` });
      return;
    }
    let left = false;
    const done = (): void => {
      if (left) return;
      left = true;
      gate.leave();
    };
    if (admission.kind === 'admitted') go(done);
    else void admission.admitted.then(() => go(done));
  }

  function forward(req: IncomingMessage, res: ServerResponse, done: () => void): void {
    const choice = current?.pick(req);
    if (res.destroyed || req.socket.destroyed) {
      done();
      return;
    }
    if (!choice) {
      res.once('close', done);
      answer(res, 503, RUNTIME_DOWN);
      return;
    }
    forwardRequest(choice.upstream.pool, req, res, done, choice.publicUrl);
  }

  // A missing Host is refused by malformed-request.ts with the edge's JSON, not Node's bare 400.
  const server = http.createServer({ keepAliveTimeout: KEEP_ALIVE_MS, requireHostHeader: false }, (req, res) => {
    const reason = malformedRequestReason(req);
    if (reason) {
      answer(res, 400, badRequest(reason));
      return;
    }
    admit(
      (done) => forward(req, res, done),
      (body) => answer(res, 503, body, { 'retry-after': '1' }),
    );
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const reason = malformedRequestReason(req);
    if (reason) {
      answerSocket(socket, 400, badRequest(reason));
      return;
    }
    admit(
      (done) => {
        const choice = current?.pick(req);
        if (socket.destroyed) done();
        else if (!choice) {
          done();
          answerSocket(socket, 503, RUNTIME_DOWN);
        } else forwardUpgrade(req, socket, head, choice.upstream.origin, upgraded, done, choice.publicUrl);
      },
      (body) => answerSocket(socket, 503, body),
    );
  });
  server.on('connect', (req: IncomingMessage, socket: Socket) => {
    answerSocket(socket, 400, badRequest(malformedRequestReason(req) ?? 'CONNECT is not supported'));
  });
  // What Node's parser refuses (bad framing, invalid header characters, oversized headers).
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
    answerSocket(socket, status, { error: status === 400 ? 'bad_request' : STATUS_CODES[status]?.toLowerCase().replaceAll(' ', '_') ?? 'bad_request', message: `The request is not valid HTTP/1.1 (${error.code ?? 'parse error'}: ${error.message})` });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host, port: options.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    hold: () => gate.hold(),
    release(next) {
      current = selectUpstreams(next, current, connect, retire);
      gate.release();
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const socket of upgraded) socket.destroy();
      await closed;
      await Promise.all([...(current?.byUrl.values() ?? [])].map((upstream) => upstream.pool.destroy().catch(() => undefined)));
    },
  };
}
