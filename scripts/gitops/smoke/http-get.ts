import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpAnswer {
  status: number;
  body: string;
}

export interface HttpGetOptions {
  /**
   * Connect here instead of to the URL's host, sending the URL's host in the `Host` header (as
   * `curl --connect-to`): the local edge's data plane, or one origin behind a load balancer.
   */
  origin?: string;
  /** The whole call (connect, answer, body) must finish within this; then it fails. */
  timeoutMs: number;
}

/** The call did not complete: refused, reset, or over its time. */
export class HttpGetError extends Error {
  override name = 'HttpGetError';
}

/** A GET of `url` with a deadline, answering the status and the body as text. */
export function httpGet(url: string, options: HttpGetOptions): Promise<HttpAnswer> {
  const target = new URL(url);
  const connect = new URL(options.origin ?? target.origin);
  const request = connect.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: connect.hostname,
        ...(connect.port ? { port: connect.port } : {}),
        path: `${target.pathname}${target.search}`,
        method: 'GET',
        headers: { host: target.host, accept: 'application/json' },
        servername: target.hostname,
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (error) => reject(new HttpGetError(error.message)));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) =>
      reject(new HttpGetError(error.name === 'AbortError' || error.code === 'ABORT_ERR' ? `no answer within ${options.timeoutMs} ms` : `${error.code ?? error.name}: ${error.message}`)),
    );
    req.end();
  });
}
