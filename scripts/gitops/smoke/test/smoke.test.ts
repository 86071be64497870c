/**
 * `npm run smoke` against the example fleet on one local edge: every no-input contract route of
 * every service answers 2xx with a schema-valid body, in staging and in a preview; then a release
 * whose orders answers a body its contract forbids and whose users answers 500 fails, naming both.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workflowCheckout } from '../../github/test/support/workflow-run.ts';
import { gitops } from '../../test/support/cli.ts';
import { withTestEdge, type TestEdge } from '../../test/support/edge.ts';
import { httpGet } from '../http-get.ts';
import { SmokeReport } from '../report.ts';
import { breakUsers, setServiceVersion } from './support/releases.ts';

let edge: TestEdge;
withTestEdge((started) => (edge = started));
// A git checkout of the example fleet: a preview takes its services from git diff.
let fleet: Awaited<ReturnType<typeof workflowCheckout>>;
beforeAll(async () => {
  fleet = await workflowCheckout();
}, 120_000);
afterAll(async () => {
  await fleet?.remove();
});

describe('smoke test of an environment', () => {
  it('smoke: each no-input contract route answers 2xx with a schema-valid body; a broken release fails, naming route and reason', { timeout: 300_000 }, async () => {
    const applied = await gitops(fleet.dir, ['apply', '--env', 'staging', '--yes'], edge);
    expect(applied.code, applied.all).toBe(0);

    const passing = await gitops(fleet.dir, ['smoke', '--env', 'staging', '--json'], edge);
    expect(passing.code, passing.all).toBe(0);
    const report = SmokeReport.parse(JSON.parse(passing.out));
    expect(report).toMatchObject({ environment: 'staging', target: 'local', url: 'https://api.staging.example.com', ok: true });
    expect(report.results.map((line) => [line.service, line.operation, line.url, line.status, line.result])).toEqual([
      ['notifications-staging', 'listNotifications', 'https://api.staging.example.com/notifications', 200, 'pass'],
      ['orders-staging', 'listOrders', 'https://api.staging.example.com/orders', 200, 'pass'],
      ['users-staging', 'listUsers', 'https://api.staging.example.com/users', 200, 'pass'],
    ]);

    // A preview (PR 3 changes users; orders binds users, so it is previewed too) answers on its own hosts.
    await writeFile(join(fleet.dir, 'services/users/CHANGED'), 'a change PR 3 makes\n');
    await fleet.commit('PR 3');
    const preview = await gitops(fleet.dir, ['apply', '--env', 'pr-3', '--base', 'HEAD~1', '--yes'], edge);
    expect(preview.code, preview.all).toBe(0);
    const previewSmoke = await gitops(fleet.dir, ['smoke', '--env', 'pr-3', '--base', 'HEAD~1', '--json'], edge);
    expect(previewSmoke.code, previewSmoke.all).toBe(0);
    expect(SmokeReport.parse(JSON.parse(previewSmoke.out)).results.map((line) => [line.service, line.url, line.result])).toEqual([
      ['orders-pr-3', 'https://pr-3.api.staging.example.com/orders', 'pass'],
      ['users-pr-3', 'https://pr-3.api.staging.example.com/users', 'pass'],
    ]);

    // A release where orders answers a body its contract forbids, and users answers 500.
    await writeFile(join(fleet.dir, 'services/orders/src/index.ts'), "export default { fetch: () => Response.json({ orders: [{ id: 7 }] }) };\n");
    await breakUsers(fleet.dir);
    await setServiceVersion(fleet.dir, 'orders', '9.0.0');
    await setServiceVersion(fleet.dir, 'users', '9.0.0');
    const broken = await gitops(fleet.dir, ['apply', '--env', 'staging', '--yes'], edge);
    expect(broken.code, broken.all).toBe(0);

    const out = join(fleet.dir, 'smoke.json');
    const failing = await gitops(fleet.dir, ['smoke', '--env', 'staging', '--out', out], edge);
    expect(failing.code).toBe(1);
    expect(failing.out).toMatch(/orders-staging\s*│\s*GET \/orders\s*│\s*200\s*│\s*fail: the body does not match the contract: orders\.0\.id: /);
    expect(failing.out).toMatch(/users-staging\s*│\s*GET \/users\s*│\s*500\s*│\s*fail: expected a 2xx answer, got 500: boom/);
    expect(failing.out).toMatch(/notifications-staging\s*│\s*GET \/notifications\s*│\s*200\s*│\s*pass/);
    expect(failing.out).toContain('Smoke test of staging FAILED: 2 of 3 routes did not answer as their contracts say.');
    const written = SmokeReport.parse(JSON.parse(await readFile(out, 'utf8')));
    expect(written.ok).toBe(false);
    expect(written.results.filter((line) => line.result === 'fail').map((line) => line.service)).toEqual(['orders-staging', 'users-staging']);

    // Production was never applied on this edge: its routes answer nothing the contracts declare.
    const production = await gitops(fleet.dir, ['smoke'], edge);
    expect(production.code).toBe(1);
  });

  it('smoke: a call without an answer fails at its deadline', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as { port: number }).port;
      await expect(httpGet('https://api.example.com/users', { origin: `http://127.0.0.1:${port}`, timeoutMs: 300 })).rejects.toThrow('no answer within 300 ms');
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
