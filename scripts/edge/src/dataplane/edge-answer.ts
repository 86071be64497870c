/**
 * The listener's own answers (listener.ts), written by Node: the edge's JSON error (edge-error.ts)
 * with a `cf-ray`, on a response Node's server manages or straight onto a socket it gave up.
 */
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { edgeErrorHeaders, edgeErrorText, type EdgeErrorBody } from './edge-error.ts';
import { DEFAULT_COLO, rayHeader } from './edge-request.ts';
import { nextRayId } from './ray-ids.ts';

export const RUNTIME_DOWN: EdgeErrorBody = {
  error: 'runtime_unavailable',
  message: 'The Workers runtime is not running (the last apply failed and the previous snapshot did not restart); the next successful apply brings it back',
};

export function badRequest(message: string): EdgeErrorBody {
  return { error: 'bad_request', message };
}

export function runtimeUnreachable(error: Error): EdgeErrorBody {
  return { error: 'worker_unreachable', message: `The Workers runtime did not answer: ${error.message}` };
}

function errorHead(body: EdgeErrorBody, text: string): Record<string, string> {
  const ray = rayHeader(nextRayId(), DEFAULT_COLO);
  return { ...edgeErrorHeaders(body), 'content-length': String(Buffer.byteLength(text)), 'cf-ray': ray };
}

/** An edge error on a response the server manages (keep-alive stays usable; an unread body is discarded by Node). */
export function answer(res: ServerResponse, status: number, body: EdgeErrorBody, extra: Record<string, string> = {}): void {
  const text = edgeErrorText(body);
  res.writeHead(status, { ...errorHead(body, text), ...extra }).end(text);
}

/** An edge error written straight to a socket Node's server no longer manages (parse errors, CONNECT, upgrades); closes it. */
export function answerSocket(socket: Socket, status: number, body: EdgeErrorBody): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const text = edgeErrorText(body);
  const headers = { ...errorHead(body, text), connection: 'close' };
  const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${head}\r\n${text}`);
}
