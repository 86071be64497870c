/**
 * Malformed HTTP for the data plane, sent as raw bytes (no client library would send them), and a
 * reader for the answer. Every case must get a 4xx with the edge's JSON error body; `connection`
 * says whether the same connection must stay usable afterwards (requests Node's parser still framed)
 * or is closed by the edge (the parser gave up on the byte stream, so nothing after it can be trusted).
 */
import { connect, type Socket } from 'node:net';

export interface MalformedCase {
  name: string;
  /** The bytes sent, as latin1. */
  raw: string;
  status: number;
  connection: 'kept' | 'closed';
  /** A HEAD request: its answer has headers only (RFC 9110 §9.3.2). */
  head?: true;
}

const HOST = 'api.example.com';
const line = (...lines: string[]) => `${lines.join('\r\n')}\r\n\r\n`;

export const MALFORMED_CASES: readonly MalformedCase[] = [
  { name: 'GET with a body', raw: `${line('GET /users HTTP/1.1', `Host: ${HOST}`, 'Content-Length: 5')}hello`, status: 400, connection: 'kept' },
  { name: 'HEAD with a body', raw: `${line('HEAD /users HTTP/1.1', `Host: ${HOST}`, 'Content-Length: 5')}hello`, status: 400, connection: 'kept', head: true },
  { name: 'GET with a chunked body', raw: `${line('GET /users HTTP/1.1', `Host: ${HOST}`, 'Transfer-Encoding: chunked')}5\r\nhello\r\n0\r\n\r\n`, status: 400, connection: 'kept' },
  { name: 'Host with userinfo (api.example.com@evil.com)', raw: line('GET /users HTTP/1.1', `Host: ${HOST}@evil.com`), status: 400, connection: 'kept' },
  { name: 'Host with a fragment (#)', raw: line('GET /users HTTP/1.1', `Host: ${HOST}#x`), status: 400, connection: 'kept' },
  { name: 'Host as a list (,)', raw: line('GET /users HTTP/1.1', `Host: ${HOST},evil.com`), status: 400, connection: 'kept' },
  { name: 'Host with a tab', raw: line('GET /users HTTP/1.1', `Host: api.example\t.com`), status: 400, connection: 'kept' },
  { name: 'Host with a space', raw: line('GET /users HTTP/1.1', `Host: api.example .com`), status: 400, connection: 'kept' },
  { name: 'two Host headers', raw: line('GET /users HTTP/1.1', `Host: ${HOST}`, 'Host: evil.com'), status: 400, connection: 'kept' },
  { name: 'no Host header', raw: line('GET /users HTTP/1.1'), status: 400, connection: 'kept' },
  { name: 'raw \\..\\users path', raw: line('GET \\..\\users HTTP/1.1', `Host: ${HOST}`), status: 400, connection: 'closed' },
  { name: 'path with a backslash after a slash', raw: line('GET /\\..\\users HTTP/1.1', `Host: ${HOST}`), status: 400, connection: 'kept' },
  { name: 'path with a raw non-ASCII byte', raw: line('GET /us\xe9rs HTTP/1.1', `Host: ${HOST}`), status: 400, connection: 'closed' },
  { name: 'asterisk-form target on GET', raw: line('GET * HTTP/1.1', `Host: ${HOST}`), status: 400, connection: 'kept' },
  { name: 'absolute-form target with userinfo', raw: line(`GET http://user@${HOST}/users HTTP/1.1`, `Host: ${HOST}`), status: 400, connection: 'kept' },
  { name: 'CONNECT', raw: line(`CONNECT ${HOST}:443 HTTP/1.1`, `Host: ${HOST}:443`), status: 400, connection: 'closed' },
  { name: 'Content-Length: -1', raw: `${line('POST /users HTTP/1.1', `Host: ${HOST}`, 'Content-Length: -1')}{}`, status: 400, connection: 'closed' },
  { name: 'Content-Length not a number', raw: `${line('POST /users HTTP/1.1', `Host: ${HOST}`, 'Content-Length: ten')}{}`, status: 400, connection: 'closed' },
  { name: 'Content-Length and Transfer-Encoding both', raw: `${line('POST /users HTTP/1.1', `Host: ${HOST}`, 'Content-Length: 4', 'Transfer-Encoding: chunked')}0\r\n\r\n`, status: 400, connection: 'closed' },
  { name: 'broken chunk size', raw: `${line('POST /users HTTP/1.1', `Host: ${HOST}`, 'Transfer-Encoding: chunked')}zz\r\nhello\r\n0\r\n\r\n`, status: 400, connection: 'closed' },
  { name: 'header name with a space', raw: line('GET /users HTTP/1.1', `Host: ${HOST}`, 'Bad Header: x'), status: 400, connection: 'closed' },
  { name: 'header value with a NUL', raw: line('GET /users HTTP/1.1', `Host: ${HOST}`, 'X-Test: a\x00b'), status: 400, connection: 'closed' },
  { name: 'not HTTP at all', raw: line('HELLO THERE'), status: 400, connection: 'closed' },
  { name: 'unknown HTTP version', raw: line('GET /users HTTP/9.9', `Host: ${HOST}`), status: 400, connection: 'closed' },
  { name: 'headers over 64 KiB', raw: line('GET /users HTTP/1.1', `Host: ${HOST}`, `X-Big: ${'a'.repeat(70_000)}`), status: 431, connection: 'closed' },
];

/** A request the data plane must answer normally (its router's JSON or a Worker's), after a malformed one. */
export const FOLLOW_UP = line('GET /users?limit=1 HTTP/1.1', `Host: ${HOST}`);

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One connection to the data plane: write raw bytes, read whole answers (Content-Length framed), see whether it closed. */
export class RawConnection {
  private buffer = Buffer.alloc(0);
  private ended = false;
  private waiters: (() => void)[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.wake();
    });
    const end = (): void => {
      this.ended = true;
      this.wake();
    };
    socket.on('end', end).on('close', end).on('error', end);
  }

  static open(url: string): Promise<RawConnection> {
    const target = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = connect({ host: target.hostname, port: Number(target.port) }, () => {
        socket.off('error', reject);
        resolve(new RawConnection(socket));
      });
      socket.once('error', reject);
    });
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  private more(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  write(raw: string): void {
    this.socket.write(Buffer.from(raw, 'latin1'));
  }

  /** The next answer (headers only for `head`); throws when the connection closes first or the answer has no Content-Length. */
  async read(head = false): Promise<RawAnswer> {
    for (;;) {
      const headEnd = this.buffer.indexOf('\r\n\r\n');
      if (headEnd >= 0) {
        const [statusLine = '', ...headerLines] = this.buffer.subarray(0, headEnd).toString('latin1').split('\r\n');
        const headers: Record<string, string> = {};
        for (const header of headerLines) {
          const colon = header.indexOf(':');
          headers[header.slice(0, colon).trim().toLowerCase()] = header.slice(colon + 1).trim();
        }
        const length = head ? 0 : Number(headers['content-length']);
        if (!Number.isInteger(length)) throw new Error(`answer without a Content-Length: ${statusLine}`);
        if (this.buffer.length >= headEnd + 4 + length) {
          const body = this.buffer.subarray(headEnd + 4, headEnd + 4 + length).toString('utf8');
          this.buffer = this.buffer.subarray(headEnd + 4 + length);
          return { status: Number(statusLine.split(' ')[1]), headers, body };
        }
      }
      if (this.ended) throw new Error(`the connection closed before a whole answer (${this.buffer.length} bytes read)`);
      await this.more();
    }
  }

  /** Resolves once the edge has closed the connection. */
  async closedByEdge(): Promise<void> {
    while (!this.ended) await this.more();
  }

  close(): void {
    this.socket.destroy();
  }
}
