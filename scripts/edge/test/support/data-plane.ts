/** Requests to the data plane with an explicit Host header (what a route matches on). */
import { request } from 'node:http';

export interface DataPlaneResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function requestDataPlane(baseUrl: string, host: string, path: string, method = 'GET'): Promise<DataPlaneResponse> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method, headers: { host } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}
