/**
 * Checks that the edge's ports are free before anything binds them, so a busy port is one clear
 * line naming the port and the flag that changes it, not workerd's fatal `kj::Exception` dump.
 */
import { createServer } from 'node:net';

export interface PortRequest {
  port: number;
  /** The CLI flag that picks this port, named in the error. */
  flag: string;
  /** What listens there, e.g. "data plane". */
  role: string;
}

/** A port the edge needs is taken; the CLIs exit with {@link PORT_IN_USE_EXIT_CODE}. */
export class PortInUseError extends Error {
  constructor(
    readonly host: string,
    readonly request: PortRequest,
  ) {
    super(`port ${request.port} on ${host} is already in use (the ${request.role}); stop what holds it, or pick another port with ${request.flag} <port> (0: any free port)`);
    this.name = 'PortInUseError';
  }
}

/** Exit code of `npm start` and `npm run edge` when a port they need is in use. */
export const PORT_IN_USE_EXIT_CODE = 2;

function isFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' ? resolve(false) : reject(error)));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Throws a {@link PortInUseError} for the first fixed port (not 0) that is taken or asked for twice. */
export async function assertPortsFree(host: string, requests: readonly PortRequest[]): Promise<void> {
  const fixed = requests.filter((request) => request.port !== 0);
  for (const [index, request] of fixed.entries()) {
    const earlier = fixed.slice(0, index).find((other) => other.port === request.port);
    if (earlier) throw new Error(`${earlier.flag} and ${request.flag} both ask for port ${request.port}; give them different ports`);
    if (!(await isFree(host, request.port))) throw new PortInUseError(host, request);
  }
}
