/**
 * A WebSocket (or other) upgrade through the listener (listener.ts): the request goes to workerd on
 * a connection of its own; the Worker's 101 is passed on and both directions piped, or its refusal
 * passed on and the connection closed.
 */
import http, { type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { answerSocket, runtimeUnreachable } from './edge-answer.ts';
import { answerHeaders, forwardedHead } from './forwarded-headers.ts';

/** The hop-by-hop headers an upgrade passes on: they ask for it. */
const UPGRADE_HEADERS: ReadonlySet<string> = new Set(['connection', 'upgrade']);

/**
 * `done` runs once the upgrade is answered (it no longer counts as in flight); open tunnels are in
 * `tunnels` until they close. `publicUrl`, for a version Worker's proxy-style socket, goes in the
 * request line instead of the path.
 */
export function forwardUpgrade(req: IncomingMessage, socket: Socket, head: Buffer, runtime: URL, tunnels: Set<Socket>, done: () => void, publicUrl?: string): void {
  const { headers, ray } = forwardedHead(req, UPGRADE_HEADERS);
  const outgoing = http.request({ host: runtime.hostname, port: runtime.port, method: req.method, path: publicUrl ?? req.url, headers, agent: false });
  outgoing.on('upgrade', (response, upstreamSocket, upstreamHead) => {
    done();
    const lines = [`HTTP/1.1 101 ${response.statusMessage ?? 'Switching Protocols'}`];
    for (let index = 0; index + 1 < response.rawHeaders.length; index += 2) lines.push(`${response.rawHeaders[index]}: ${response.rawHeaders[index + 1]}`);
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (upstreamHead.length > 0) socket.write(upstreamHead);
    if (head.length > 0) upstreamSocket.write(head);
    tunnels.add(socket);
    const end = (): void => {
      tunnels.delete(socket);
      socket.destroy();
      upstreamSocket.destroy();
    };
    socket.on('error', end).on('close', end);
    upstreamSocket.on('error', end).on('close', end);
    upstreamSocket.pipe(socket);
    socket.pipe(upstreamSocket);
  });
  outgoing.on('response', (response) => {
    const lines = [`HTTP/1.1 ${response.statusCode ?? 502} ${response.statusMessage ?? ''}`];
    for (const [name, value] of Object.entries(answerHeaders(response.headers))) {
      if (name === 'content-length' || name === 'cf-ray') continue;
      for (const item of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${item}`);
    }
    lines.push(`cf-ray: ${ray}`, 'connection: close');
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    response.pipe(socket);
    response.on('end', done);
    response.on('error', done);
  });
  outgoing.on('error', (error) => {
    done();
    answerSocket(socket, 502, runtimeUnreachable(error));
  });
  socket.on('error', () => outgoing.destroy());
  outgoing.end();
}
