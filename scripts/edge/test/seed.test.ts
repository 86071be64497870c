/** seedScripts: a fleet written into a stopped edge's state is served and listed once the edge starts. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedScripts, startEdge, type Edge } from '../src/index.ts';
import { ApiClient, textWorker, workerUpload } from './support/api-client.ts';
import { requestDataPlane } from './support/data-plane.ts';
import { withEdgeDir } from './support/test-edge.ts';

let stateDir: string;
let edge: Edge | undefined;

withEdgeDir('edge-seed-', (dir) => (stateDir = dir), () => edge);

describe('edge seeding', () => {
  it('seed: seeded scripts are deployed at 100% with their routes, tags and bindings when the edge starts', async () => {
    await seedScripts({ stateDir, zones: ['example.com'], accountId: 'a'.repeat(32), token: 'seed-token' }, [
      { name: 'alpha', upload: workerUpload(textWorker('alpha'), { tags: ['owner'] }), routes: [{ zone: 'example.com', pattern: 'alpha.example.com/*' }] },
      { name: 'beta', upload: workerUpload(textWorker('beta'), { bindings: [{ type: 'plain_text', name: 'SUFFIX', text: '!' }] }), routes: [{ zone: 'example.com', pattern: 'beta.example.com/*' }] },
    ]);
    edge = await startEdge({ stateDir, apiPort: 0, dataPort: 0 });
    expect(edge.accountId).toBe('a'.repeat(32));
    expect((await requestDataPlane(edge.url, 'alpha.example.com', '/')).body).toBe('alpha');
    expect((await requestDataPlane(edge.url, 'beta.example.com', '/')).body).toBe('beta!');
    const api = new ApiClient(edge.apiUrl, edge.token, edge.accountId);
    const scripts = await api.ok<{ id: string; tags: string[] }[]>('GET', '/accounts/{a}/workers/scripts');
    expect(scripts.map((script) => [script.id, script.tags]).sort()).toEqual([['alpha', ['owner']], ['beta', []]]);
    const deployments = await api.ok<{ deployments: { versions: { percentage: number }[] }[] }>('GET', '/accounts/{a}/workers/scripts/beta/deployments');
    expect(deployments.deployments[0]?.versions).toEqual([expect.objectContaining({ percentage: 100 })]);
  });

  it('seed: a route in a zone the edge does not have is refused with the zone named, and nothing is written', async () => {
    const emptyDir = await mkdtemp(join(tmpdir(), 'edge-seed-bad-'));
    try {
      await expect(
        seedScripts({ stateDir: emptyDir, zones: ['example.com'] }, [
          { name: 'good', upload: workerUpload(textWorker('good')), routes: [{ zone: 'example.com', pattern: 'good.example.com/*' }] },
          { name: 'lost', upload: workerUpload(textWorker('lost')), routes: [{ zone: 'other.org', pattern: 'lost.other.org/*' }] },
        ]),
      ).rejects.toThrow(/lost's route lost\.other\.org\/\* names zone "other\.org"/);
      const edgeAfter = await startEdge({ stateDir: emptyDir, apiPort: 0, dataPort: 0 });
      try {
        const api = new ApiClient(edgeAfter.apiUrl, edgeAfter.token, edgeAfter.accountId);
        expect(await api.ok<unknown[]>('GET', '/accounts/{a}/workers/scripts')).toEqual([]);
      } finally {
        await edgeAfter.stop();
      }
    } finally {
      await rm(emptyDir, { recursive: true, force: true });
    }
  });
});
