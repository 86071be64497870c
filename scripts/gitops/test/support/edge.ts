import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEdge, type Edge, type EdgeOptions } from '../../../edge/src/index.ts';
import { afterAll, beforeAll } from 'vitest';
import { CloudflareClient, type ApiEndpoint } from '../../api/client.ts';
import { reconcile, type ReconcileOptions, type ReconcileOutcome } from '../../reconcile.ts';
import { removeFixtureFleets } from '../../synthetic/fleet.ts';

process.env.WRANGLER_SEND_METRICS = 'false';

export interface TestEdge {
  edge: Edge;
  stateDir: string;
  endpoint: ApiEndpoint;
  /** The endpoint.json the edge wrote (what target local reads). */
  endpointFile: string;
  /** Stops the edge and removes its state and the fixture fleets of this test file. */
  cleanup(): Promise<void>;
}

/** One local edge on free ports with zone example.com, in a fresh state dir (`options` adds to that). */
export async function startTestEdge(options: Partial<EdgeOptions> = {}): Promise<TestEdge> {
  const stateDir = await mkdtemp(join(tmpdir(), 'gitops-edge-'));
  const edge = await startEdge({ stateDir, apiPort: 0, dataPort: 0, zones: ['example.com'], token: 'test-token-SECRET-0123456789', ...options });
  return {
    edge,
    stateDir,
    endpoint: { apiUrl: edge.apiUrl, accountId: edge.accountId, token: edge.token },
    endpointFile: join(stateDir, 'endpoint.json'),
    cleanup: async () => {
      await edge.stop();
      await rm(stateDir, { recursive: true, force: true });
      await removeFixtureFleets();
    },
  };
}

/**
 * This test file's local edge: started before its tests (handed to `onStart` with an API client to
 * it), stopped and removed after them.
 */
export function withTestEdge(onStart: (edge: TestEdge, client: CloudflareClient) => void): void {
  let started: TestEdge | undefined;
  beforeAll(async () => {
    started = await startTestEdge();
    onStart(started, new CloudflareClient(started.endpoint));
  });
  afterAll(async () => {
    await started?.cleanup();
  });
}

/** Reconciles the fleet at `rootDir` into this test edge (target local), printing nothing. */
export function reconcileInto(edge: TestEdge, rootDir: string, options: Pick<ReconcileOptions, 'prune' | 'adopt'> = {}): Promise<ReconcileOutcome> {
  return reconcile({ ...options, rootDir, target: 'local', endpoint: edge.endpoint, output: { out: () => undefined, err: () => undefined } });
}

export interface DataPlaneAnswer {
  status: number;
  body: string;
  json(): Record<string, unknown>;
}

/** A request to the data plane as a browser would send it to `url` (its host goes in the Host header). */
export function dataPlaneGet(edge: Edge, url: string): Promise<DataPlaneAnswer> {
  const target = new URL(url);
  const plane = new URL(edge.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: plane.hostname, port: plane.port, path: `${target.pathname}${target.search}`, method: 'GET', headers: { host: target.host } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body, json: () => JSON.parse(body) as Record<string, unknown> });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** The JSON a Worker of the test edge answers at `http://example.com<path>`. */
export async function dataPlaneJson(edge: TestEdge, path: string): Promise<Record<string, unknown>> {
  return (await dataPlaneGet(edge.edge, `http://example.com${path}`)).json();
}
