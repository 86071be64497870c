/**
 * Isolation of a Worker that hangs at start-up: `users` 1.0.x with a busy loop at the top of its
 * module is refused with 10021 once the edge's start-up deadline passes (the throwaway workerd
 * that runs the check is killed), nothing of it is stored, the reconciler names the service and
 * exits 1, and orders and notifications answer all along. A Worker whose requests never answer
 * holds up neither the other Workers nor the control plane.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { request, type ClientRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyExampleFleet } from '../../fleet/testing.ts';
import { CloudflareClient } from '../api/client.ts';
import { listScripts, listVersions } from '../api/cloudflare.ts';
import { deployUnmanaged } from '../../reliability/apply-under-faults.ts';
import { gitops } from './support/cli.ts';
import { dataPlaneGet, startTestEdge, type TestEdge } from './support/edge.ts';

/** Short enough for a test, long enough for the example fleet to start on a loaded machine. */
const STARTUP_DEADLINE_MS = 20_000;
const NEIGHBOURS = ['http://api.example.com/orders', 'http://api.example.com/notifications'];

let edge: TestEdge;
let fleet: Awaited<ReturnType<typeof copyExampleFleet>>;

beforeAll(async () => {
  edge = await startTestEdge({ startupDeadlineMs: STARTUP_DEADLINE_MS });
  fleet = await copyExampleFleet();
}, 120_000);
afterAll(async () => {
  await edge?.cleanup();
  await fleet?.remove();
});

/** Asks every neighbour in turn until `done` settles; returns each answer's status. */
async function pollNeighbours(done: Promise<unknown>): Promise<number[]> {
  let finished = false;
  void done.finally(() => (finished = true));
  const statuses: number[] = [];
  do {
    for (const url of NEIGHBOURS) statuses.push((await dataPlaneGet(edge.edge, url)).status);
  } while (!finished);
  return statuses;
}

describe('a Worker that hangs at start-up', { timeout: 300_000 }, () => {
  it('is refused with 10021 after the deadline, nothing is stored, the reconciler exits 1 naming it, and the other Workers serve throughout', async () => {
    const first = await gitops(fleet.rootDir, ['apply', '--yes'], edge);
    expect(first.code, first.all).toBe(0);
    const client = new CloudflareClient(edge.endpoint);
    const versionsBefore = await listVersions(client, 'users');

    const entry = join(fleet.rootDir, 'services/users/src/index.ts');
    await writeFile(entry, `// Never finishes starting: the loop runs at the top level of the module.\nconst startedAt = Date.now();\nwhile (Date.now() >= startedAt) {}\n${await readFile(entry, 'utf8')}`);
    const manifest = join(fleet.rootDir, 'services/users/package.json');
    const pkg = JSON.parse(await readFile(manifest, 'utf8')) as { version: string };
    await writeFile(manifest, JSON.stringify({ ...pkg, version: pkg.version.replace(/\d+$/, (patch) => String(Number(patch) + 1)) }, null, 2));

    const apply = gitops(fleet.rootDir, ['apply', '--yes'], edge);
    const statuses = await pollNeighbours(apply);
    const refused = await apply;

    expect(refused.code, refused.all).toBe(1);
    expect(refused.all).toMatch(/users/);
    expect(refused.all).toContain('10021');
    expect(refused.all).toContain(`did not finish starting within ${STARTUP_DEADLINE_MS / 1000} s`);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.filter((status) => status !== 200), 'orders and notifications during the refused apply').toEqual([]);
    expect((await listVersions(client, 'users')).map((version) => version.id)).toEqual(versionsBefore.map((version) => version.id));
    for (const url of [...NEIGHBOURS, 'http://api.example.com/users']) expect((await dataPlaneGet(edge.edge, url)).status, url).toBe(200);
  });

  it('a request that never answers holds up neither the other Workers nor the control plane', async () => {
    // A pending timer, not a bare never-settling promise: workerd answers that one itself ("will never generate a response").
    await deployUnmanaged(edge.edge, 'stuck', 'export default { async fetch() { await new Promise((resolve) => setTimeout(resolve, 600_000)); return new Response("late"); } };', 'stuck.example.com/*');
    const plane = new URL(edge.edge.url);
    const stuck: ClientRequest[] = [];
    const answered: string[] = [];
    for (let index = 0; index < 4; index += 1) {
      const pending = request({ host: plane.hostname, port: plane.port, path: `/${index}`, headers: { host: 'stuck.example.com' } }, () => answered.push(`stuck ${index}`));
      pending.on('error', () => undefined);
      pending.end();
      stuck.push(pending);
    }
    try {
      for (const url of NEIGHBOURS) expect((await dataPlaneGet(edge.edge, url)).status, url).toBe(200);
      expect((await listScripts(new CloudflareClient(edge.endpoint))).map((script) => script.id)).toContain('stuck');
      expect(answered).toEqual([]);
    } finally {
      for (const pending of stuck) pending.destroy();
    }
  });
});
