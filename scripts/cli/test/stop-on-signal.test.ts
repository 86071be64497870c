/**
 * ONE signal stops `npm start`, `npm run edge` and `npm run dev` (the whole process group: npm,
 * node, workerd) in every state of `SIGNAL_STATES`: right after deploys and queue traffic, while an
 * apply is mid-way, while workerd is starting, idle. Each command runs as a user runs it (through
 * npm, in its own process group); the signal goes to npm alone or to the whole group. Only a
 * generous deadline is asserted, never a time. The bench `signals` repeats every state and times it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopOnce } from '../../reliability/long-running.ts';
import { SIGNAL_STATES, signalExitCode } from '../../reliability/signal-states.ts';

let stateRoot: string;
beforeAll(async () => {
  stateRoot = await mkdtemp(join(tmpdir(), 'edgeops-signals-'));
});
afterAll(async () => {
  await rm(stateRoot, { recursive: true, force: true });
});

// `npm run edge, idle` is covered by scripts/edge/test/cli.test.ts; the bench runs it too.
const TESTED = SIGNAL_STATES.filter((state) => state.name !== 'npm run edge, idle');

describe('one signal stops every long-running command', { timeout: 300_000 }, () => {
  for (const state of TESTED) {
    it(`${state.name}: one ${state.signal} to ${state.to === 'npm' ? 'npm' : 'the group'} stops the whole group`, async () => {
      const run = await state.reach(stateRoot);
      const stopped = await stopOnce(run, state.signal, state.to);
      expect(stopped.stoppedMs, `the group outlived the deadline:\n${run.output().slice(-2000)}`).toBeDefined();
      expect(stopped.exitCode, run.output().slice(-2000)).toBe(signalExitCode(state.signal));
    });
  }
});
