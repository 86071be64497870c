import { Agent, request } from 'node:http';

export interface KeepAliveAnswer {
  status: number;
  /** Whether the request went out on a connection an earlier request had used. */
  reusedSocket: boolean;
  body: string;
}

/**
 * One HTTP/1.1 client holding a single keep-alive connection, so a test can tell whether a server
 * leaves the connection usable after an answer (node's fetch would quietly open a new one).
 */
export class KeepAliveClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });

  constructor(private readonly origin: URL) {}

  send(method: string, path: string, headers: Record<string, string>, body?: string): Promise<KeepAliveAnswer> {
    return new Promise((resolve, reject) => {
      const outgoing = request({ host: this.origin.hostname, port: this.origin.port, method, path, headers, agent: this.agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => resolve({ status: response.statusCode ?? 0, reusedSocket: outgoing.reusedSocket, body: Buffer.concat(chunks).toString('utf8') }));
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
