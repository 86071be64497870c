/**
 * The control plane as a server: the Hono app on @hono/node-server, listening on `host:port`
 * (port 0: a free one). Knows nothing about Miniflare; the store's commit hook links it to the
 * data plane, and the KV and R2 operations reach the data plane's data through `data`.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createControlPlaneApp } from './api/app.ts';
import type { D1Access } from './api/context.ts';
import { API_BASE } from './api/middleware.ts';
import type { FaultController } from './faults/index.ts';
import type { DataPlaneAccess } from './api/context.ts';
import type { Store } from './store/store.ts';
import type { InvocationLog } from './analytics/invocation-log.ts';
import { acceptTailSockets } from './tail/tail-socket.ts';
import type { TailSessions } from './tail/tail-sessions.ts';

export interface ControlPlane {
  /** `http://host:port/client/v4` */
  apiUrl: string;
  port: number;
  close(): Promise<void>;
}

export async function startControlPlane(options: { store: Store; faults: FaultController; data: DataPlaneAccess; host: string; port: number; invocations?: InvocationLog; tails?: TailSessions }): Promise<ControlPlane> {
  const app = createControlPlaneApp(options.store, options.faults, options.data, options.invocations, options.tails);
  const server = await new Promise<ServerType>((resolve, reject) => {
    const started = serve({ fetch: app.fetch, hostname: options.host, port: options.port }, () => resolve(started));
    started.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new Error(`the control plane cannot listen on ${options.host}:${options.port}: the port is in use (pick another with --api-port, or 0 for a free one)`) : error);
    });
  });
  if (options.tails) acceptTailSockets(server, options.tails);
  const { port } = server.address() as AddressInfo;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    apiUrl: `http://${hostForUrl}:${port}${API_BASE}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}
