import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { compileRouteTable, findRoute, type RouteDeclaration } from '../../cloudflare/route-table.ts';

/**
 * The design the data plane does not use, kept for the bench: route matching in Node, then one
 * more HTTP hop to Miniflare. It shows what routing inside workerd saves.
 */
export interface NodeProxy {
  url: string;
  close(): Promise<void>;
}

export async function startNodeProxy(routes: readonly RouteDeclaration[], upstream: string): Promise<NodeProxy> {
  const table = compileRouteTable(routes);
  const target = new URL(upstream);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const server = http.createServer((incoming, outgoing) => {
    const host = (incoming.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const route = findRoute(table, { scheme: 'http', host, pathAndQuery: incoming.url ?? '/' });
    if (!route?.script) {
      outgoing.writeHead(404, { 'content-type': 'text/plain' }).end(`no route matched ${host}${incoming.url ?? ''}\n`);
      return;
    }
    const forwarded = http.request(
      { agent, hostname: target.hostname, port: target.port, path: incoming.url, method: incoming.method, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', (error) => outgoing.writeHead(502).end(error.message));
    incoming.pipe(forwarded);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve, reject) => {
        agent.destroy();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
