/** State survives a restart of the edge; --reset forgets it. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEndpointFile } from '../../cloudflare/endpoint.ts';
import { startEdge, type Edge } from '../src/index.ts';
import { ApiClient, textWorker, workerUpload } from './support/api-client.ts';
import { requestDataPlane } from './support/data-plane.ts';
import { withEdgeDir } from './support/test-edge.ts';

let stateDir: string;
let edge: Edge | undefined;

withEdgeDir('edge-persist-', (dir) => (stateDir = dir), () => edge);

describe('edge persistence', () => {
  it('persistence: a restarted edge keeps its account, deployments and routes, and serves them', async () => {
    edge = await startEdge({ stateDir, apiPort: 0, dataPort: 0, zones: ['example.com'] });
    const first = { accountId: edge.accountId, token: edge.token };
    const api = new ApiClient(edge.apiUrl, edge.token, edge.accountId);
    await api.ok('PUT', '/accounts/{a}/workers/scripts/keeper', { body: workerUpload(textWorker('kept'), { bindings: [{ type: 'plain_text', name: 'SUFFIX', text: '?' }] }) });
    await api.ok('POST', '/accounts/{a}/workers/scripts/keeper/versions', { body: workerUpload(textWorker('next')) });
    await api.ok('PUT', '/accounts/{a}/workers/scripts/keeper/routes', { body: [{ pattern: 'keep.example.com/*' }] });
    await api.ok('PUT', '/accounts/{a}/workers/scripts/keeper/secrets', { body: { name: 'TOKEN', text: 'x', type: 'secret_text' } });
    expect((await requestDataPlane(edge.url, 'keep.example.com', '/')).body).toBe('kept?');
    await edge.stop();

    edge = await startEdge({ stateDir, apiPort: 0, dataPort: 0 });
    expect({ accountId: edge.accountId, token: edge.token }).toEqual(first);
    expect((await requestDataPlane(edge.url, 'keep.example.com', '/')).body).toBe('kept?');
    const restarted = new ApiClient(edge.apiUrl, edge.token, edge.accountId);
    const { items } = await restarted.ok<{ items: { number: number }[] }>('GET', '/accounts/{a}/workers/scripts/keeper/versions');
    // The secret put made version 3 (secrets belong to versions) from version 1, the one serving.
    expect(items.map((item) => item.number)).toEqual([3, 2, 1]);
    expect(await restarted.ok('GET', '/accounts/{a}/workers/scripts/keeper/secrets')).toEqual([{ name: 'TOKEN', type: 'secret_text' }]);
    const endpoint = await readEndpointFile(join(stateDir, 'endpoint.json'));
    expect(endpoint).toEqual({ apiUrl: edge.apiUrl, url: edge.url, accountId: edge.accountId, token: edge.token });
    const uploaded = await restarted.ok<{ number: number }>('POST', '/accounts/{a}/workers/scripts/keeper/versions', { body: workerUpload(textWorker('third')) });
    expect(uploaded.number).toBe(4);
    await edge.stop();
    edge = undefined;
  });

  it('persistence: refuses a second edge on a state directory that is in use', async () => {
    edge = await startEdge({ stateDir, apiPort: 0, dataPort: 0 });
    await expect(startEdge({ stateDir, apiPort: 0, dataPort: 0 })).rejects.toThrow(`another edge (pid ${process.pid}) is using`);
    await edge.stop();
    edge = undefined;
  });

  it('persistence: --reset starts from nothing', async () => {
    edge = await startEdge({ stateDir, apiPort: 0, dataPort: 0, zones: ['example.com'], reset: true });
    const api = new ApiClient(edge.apiUrl, edge.token, edge.accountId);
    expect(await api.ok('GET', '/accounts/{a}/workers/scripts')).toEqual([]);
    expect((await requestDataPlane(edge.url, 'keep.example.com', '/')).status).toBe(404);
  });
});
