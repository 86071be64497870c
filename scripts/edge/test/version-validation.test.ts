/**
 * Validation at upload, where Cloudflare validates: a version whose Worker throws at start-up is
 * refused with 10021 by `POST …/versions` even though it would not be deployed, and nothing is
 * stored; the serving version keeps serving.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdge, type Edge } from '../src/index.ts';
import { ApiClient, textWorker, workerUpload } from './support/api-client.ts';
import { requestDataPlane } from './support/data-plane.ts';

let edge: Edge;
let stateDir: string;
let api: ApiClient;

const throwingWorker = `throw new Error('boom at start-up');
export default { async fetch() { return new Response('never'); } };
`;

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'edge-version-validation-'));
  edge = await startEdge({ stateDir, apiPort: 0, dataPort: 0, zones: ['example.com'] });
  api = new ApiClient(edge.apiUrl, edge.token, edge.accountId);
  await api.ok('PUT', '/accounts/{a}/workers/scripts/steady', { body: workerUpload(textWorker('steady')) });
  await api.ok('PUT', '/accounts/{a}/workers/scripts/steady/routes', { body: [{ pattern: 'steady.example.com/*' }] });
});

afterAll(async () => {
  await edge?.stop();
  await rm(stateDir, { recursive: true, force: true });
});

describe('version validation', () => {
  it('version validation: a version that throws at start-up is refused with 10021 and not stored', async () => {
    const refused = await api.call('POST', '/accounts/{a}/workers/scripts/steady/versions', { body: workerUpload(throwingWorker) });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0]?.code).toBe(10021);
    expect(refused.body.errors[0]?.message).toContain('boom at start-up');
    const { items } = await api.ok<{ items: { number: number }[] }>('GET', '/accounts/{a}/workers/scripts/steady/versions');
    expect(items.map((item) => item.number)).toEqual([1]);
    expect((await requestDataPlane(edge.url, 'steady.example.com', '/')).body).toBe('steady');
  });

  it('version validation: a version that starts is stored and not served', async () => {
    const stored = await api.ok<{ number: number }>('POST', '/accounts/{a}/workers/scripts/steady/versions', { body: workerUpload(textWorker('next')) });
    expect(stored.number).toBe(2);
    expect((await requestDataPlane(edge.url, 'steady.example.com', '/')).body).toBe('steady');
  });
});
