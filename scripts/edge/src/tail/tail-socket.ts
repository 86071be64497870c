import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ServerType } from '@hono/node-server';
import { TAIL_SOCKET_PATH, type TailSessions } from './tail-sessions.ts';

/** wrangler asks for this subprotocol and refuses a socket without it (`src/tail/createTail.ts`). */
export const TRACE_PROTOCOL = 'trace-v1';

/** RFC 6455 §1.3: the accept key is base64(sha1(key + this GUID)). */
const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** The send side of a tail's WebSocket: the edge only ever sends text frames, and a close. */
export interface TailSocket {
  send(text: string): void;
  close(): void;
  onClose(listener: () => void): void;
}

/** One unmasked server frame (RFC 6455 §5.2): FIN + opcode, the payload length, the payload. */
function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const header = length < 126 ? Buffer.from([0x80 | opcode, length]) : length < 65_536 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (length >= 126) {
    header[0] = 0x80 | opcode;
    if (length < 65_536) {
      header[1] = 126;
      header.writeUInt16BE(length, 2);
    } else {
      header[1] = 127;
      header.writeBigUInt64BE(BigInt(length), 2);
    }
  }
  return Buffer.concat([header, payload]);
}

function tailSocket(socket: Duplex): TailSocket {
  return {
    send: (text) => {
      if (socket.writable) socket.write(frame(0x1, Buffer.from(text, 'utf8')));
    },
    close: () => {
      if (socket.writable) socket.end(frame(0x8, Buffer.from([0x03, 0xe8])));
    },
    onClose: (listener) => {
      socket.once('close', listener);
    },
  };
}

/**
 * Serves tails' WebSockets on the control plane's server: `GET /__edge/tail/<id>` upgraded with
 * subprotocol `trace-v1`. The id, returned only to whoever created the tail, is the credential, as
 * the URL Cloudflare returns is. The edge only sends; what the client sends (wrangler's `{debug}`,
 * sent unmasked, which a strict WebSocket server would refuse) is read and ignored, and the socket
 * is dropped when the client goes away.
 */
export function acceptTailSockets(server: ServerType, tails: TailSessions): void {
  server.on('upgrade', (request: IncomingMessage, socket: Duplex) => {
    const path = new URL(request.url ?? '/', 'http://edge').pathname;
    const id = path.startsWith(TAIL_SOCKET_PATH) ? path.slice(TAIL_SOCKET_PATH.length) : '';
    const key = request.headers['sec-websocket-key'];
    const protocols = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((protocol) => protocol.trim());
    if (!tails.get(id) || typeof key !== 'string' || !protocols.includes(TRACE_PROTOCOL)) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const accept = createHash('sha1').update(key + WEBSOCKET_GUID).digest('base64');
    socket.write(
      ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${accept}`, `Sec-WebSocket-Protocol: ${TRACE_PROTOCOL}`, '', ''].join('\r\n'),
    );
    socket.on('data', () => undefined);
    socket.on('error', () => socket.destroy());
    tails.attach(id, tailSocket(socket));
  });
}
