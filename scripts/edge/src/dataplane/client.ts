import http from 'node:http';

/**
 * A client for the data plane that can name the host it asks for. `fetch` (undici) always sends
 * the URL's own host, so a request for `api.example.com` through `http://127.0.0.1:8787` needs
 * `node:http`, which sends the `Host` header as given. Keep-alive, so repeated calls reuse sockets.
 */
export interface HostRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export async function fetchWithHost(baseUrl: string, host: string, pathAndQuery = '/', init: HostRequestInit = {}): Promise<Response> {
  try {
    return await send(baseUrl, host, pathAndQuery, init);
  } catch (error) {
    // A kept-alive socket the server closed while idle: send again once on a fresh one (as Node's docs advise).
    if (error instanceof StaleSocketError) return send(baseUrl, host, pathAndQuery, init);
    throw error;
  }
}

class StaleSocketError extends Error {}

function send(baseUrl: string, host: string, pathAndQuery: string, init: HostRequestInit): Promise<Response> {
  const target = new URL(pathAndQuery, baseUrl);
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      {
        agent,
        hostname: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: init.method ?? 'GET',
        headers: { ...init.headers, host },
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(incoming.headers)) {
            if (value === undefined) continue;
            for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
          }
          const status = incoming.statusCode ?? 0;
          const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
          resolve(new Response(body, { status, statusText: incoming.statusMessage ?? '', headers }));
        });
      },
    );
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      const stale = outgoing.reusedSocket && (error.code === 'ECONNRESET' || error.message === 'socket hang up');
      reject(stale ? new StaleSocketError(error.message, { cause: error }) : error);
    });
    outgoing.end(init.body);
  });
}
