/**
 * ONE signal stops `npm start`, `npm run edge` and `npm run dev` (the whole process group: npm, sh,
 * node, workerd) in every state: right after deploys and queue traffic, while an apply is mid-way,
 * while workerd is starting, idle. Each command runs as a user runs it (through npm, in its own
 * process group); the signal goes either to npm alone (`kill <pid>`, a process manager) or to the
 * whole group (Ctrl-C in a terminal). Only a generous deadline is asserted, never a time.
 * The bench `signals` repeats these states and times them (docs/reliability.md).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchWithHost } from '../../edge/src/dataplane/client.ts';
import { groupAlive, groupMembers, killGroup, npmRun, waitForOutput, type LongRunning } from './support/long-running.ts';

/** Far above the 5 s a stop takes: the assertion is that the group goes, not how fast. */
const GONE_WITHIN_MS = 60_000;

let stateRoot: string;
beforeAll(async () => {
  stateRoot = await mkdtemp(join(tmpdir(), 'edgeops-signals-'));
});
afterAll(async () => {
  await rm(stateRoot, { recursive: true, force: true });
});

async function expectGroupGone(run: LongRunning): Promise<void> {
  await expect.poll(() => groupAlive(run.pid), { timeout: GONE_WITHIN_MS, interval: 100 }).toBe(false);
}

/** Sends `signal` once (to npm, or to its whole group), then asserts the group is gone and npm's exit code. */
async function stopOnce(run: LongRunning, signal: 'SIGINT' | 'SIGTERM', to: 'npm' | 'group'): Promise<void> {
  try {
    process.kill(to === 'npm' ? run.pid : -run.pid, signal);
    await expectGroupGone(run);
    expect(await run.exited, run.output().slice(-2000)).toBe(signal === 'SIGINT' ? 130 : 143);
  } finally {
    killGroup(run.pid);
  }
}

describe('one signal stops every long-running command', { timeout: 300_000 }, () => {
  it('npm start, right after deploys and queue traffic: one SIGTERM to npm stops the group', async () => {
    const run = npmRun('start', ['--state-dir', join(stateRoot, 'start'), '--api-port', '0', '--port', '0', '--quiet']);
    try {
      const [, url = ''] = await waitForOutput(run, /The fleet is serving on (http:\/\/127\.0\.0\.1:\d+)/);
      const user = await fetchWithHost(url, 'api.example.com', '/users', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'signal@example.com', name: 'Signal' }) });
      expect(user.status).toBe(201);
      const { id } = (await user.json()) as { id: string };
      for (let order = 0; order < 5; order += 1) {
        const placed = await fetchWithHost(url, 'api.example.com', '/orders', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: id, items: [{ sku: `sku-${order}`, quantity: 1, unitPriceCents: 100 }] }) });
        expect(placed.status).toBe(201);
      }
    } catch (error) {
      killGroup(run.pid);
      throw error;
    }
    await stopOnce(run, 'SIGTERM', 'npm');
  });

  it('npm start, while the apply is mid-way: one Ctrl-C (SIGINT to the group) stops it', async () => {
    const run = npmRun('start', ['--state-dir', join(stateRoot, 'start-mid-apply'), '--api-port', '0', '--port', '0', '--quiet']);
    try {
      await waitForOutput(run, /Plan: \d+ to create/);
    } catch (error) {
      killGroup(run.pid);
      throw error;
    }
    await stopOnce(run, 'SIGINT', 'group');
  });

  it('npm run edge, while workerd is starting: one SIGINT to npm stops the group', async () => {
    const run = npmRun('edge', ['--state-dir', join(stateRoot, 'edge'), '--api-port', '0', '--port', '0']);
    try {
      await expect.poll(() => groupMembers(run.pid).includes('workerd') || run.output().includes('api token'), { timeout: 120_000, interval: 20 }).toBe(true);
    } catch (error) {
      killGroup(run.pid);
      throw error;
    }
    await stopOnce(run, 'SIGINT', 'npm');
  });

  it('npm run dev, idle: one SIGTERM to npm stops the group', async () => {
    const run = npmRun('dev', ['--port', '0', '--no-watch', '--persist-to', join(stateRoot, 'dev')]);
    try {
      await waitForOutput(run, /Ctrl-C stops\./);
    } catch (error) {
      killGroup(run.pid);
      throw error;
    }
    await stopOnce(run, 'SIGTERM', 'npm');
  });
});
