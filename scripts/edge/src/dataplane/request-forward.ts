/**
 * One request the listener (listener.ts) forwards to an upstream: sent through the upstream's undici
 * pool with its headers as a flat list, Cloudflare's added (forwarded-headers.ts), and the answer
 * written to the client as it arrives, with the request's `cf-ray`. It uses undici's lowest-level API, `dispatch` with a handler object: no stream or
 * promise per request, and the answer's headers go from undici's raw list to `writeHead` without a
 * headers object in between. Back-pressure holds both ways: the request body is streamed by undici,
 * and an answer chunk the client cannot take yet pauses the upstream until the client drains.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import { answer, runtimeUnreachable } from './edge-answer.ts';
import { answerHeaderList, forwardedHead } from './forwarded-headers.ts';

/** Methods sent again, once, when a pooled connection turns out closed before any answer. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

class ClientGoneError extends Error {
  constructor() {
    super('the client closed the connection before the answer was through');
  }
}

/** Whether the request announces a body (a chunked one or a non-zero Content-Length), from its raw headers. */
function hasBody(rawHeaders: readonly string[]): boolean {
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = rawHeaders[index] ?? '';
    if (name.length === 17 && name.toLowerCase() === 'transfer-encoding') return true;
    if (name.length === 14 && name.toLowerCase() === 'content-length' && rawHeaders[index + 1]?.trim() !== '0') return true;
  }
  return false;
}

/** undici's handler for one forwarded request (its legacy handler interface, which undici calls without a wrapper). */
class ForwardedRequest implements Dispatcher.DispatchHandler {
  private abort: ((error?: Error) => void) | undefined;
  private resume: (() => void) | undefined;
  private complete = false;
  private retried: boolean;

  constructor(
    private readonly pool: Dispatcher,
    private readonly options: Dispatcher.DispatchOptions,
    private readonly res: ServerResponse,
    private readonly ray: string,
    retriable: boolean,
    done: () => void,
  ) {
    this.retried = !retriable;
    res.once('close', () => {
      done();
      this.clientClosed();
    });
  }

  send(): void {
    this.pool.dispatch(this.options, this);
  }

  onConnect(abort: (error?: Error) => void): void {
    if (this.res.destroyed) abort(new ClientGoneError());
    else this.abort = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    // Informational answers (1xx) are not passed on: Node's server frames the final one.
    if (statusCode < 200) return true;
    this.res.writeHead(statusCode, answerHeaderList(rawHeaders, this.ray));
    this.resume = resume;
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.res.write(chunk)) return true;
    // The client is slower than workerd: undici pauses until the client has taken what was written.
    if (this.resume) this.res.once('drain', this.resume);
    return false;
  }

  onComplete(): void {
    this.complete = true;
    this.res.end();
  }

  onError(error: Error): void {
    const res = this.res;
    if (res.destroyed) return;
    if (res.headersSent) res.destroy();
    else if (!this.retried) {
      this.retried = true;
      this.send();
    } else answer(res, 502, runtimeUnreachable(error));
  }

  /** The client's response closed: finished, or the client went away (then the upstream request is aborted). */
  private clientClosed(): void {
    if (!this.complete) this.abort?.(new ClientGoneError());
  }
}

/**
 * Forwards `req` to the upstream `pool` and writes its answer to `res` (a JSON 502 when the upstream
 * cannot be reached); `done` runs when `res` closes, answered or abandoned by the client.
 * `publicUrl`, for a version Worker's proxy-style socket, goes in the request line instead of the path.
 */
export function forwardRequest(pool: Dispatcher, req: IncomingMessage, res: ServerResponse, done: () => void, publicUrl?: string): void {
  const method = req.method ?? 'GET';
  const body = hasBody(req.rawHeaders);
  const head = forwardedHead(req);
  const options: Dispatcher.DispatchOptions = { path: publicUrl ?? req.url ?? '/', method, headers: head.headers, body: body ? req : null };
  new ForwardedRequest(pool, options, res, head.ray, !body && SAFE_METHODS.has(method), done).send();
}
