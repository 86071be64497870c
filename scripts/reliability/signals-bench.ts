/**
 * The `signals` bench: every state of SIGNAL_STATES, repeated, each stopped by ONE signal; how long
 * until the whole process group is gone, and how many runs missed the 5 s goal or the exit code.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchResult, BenchRow } from '../bench/result.ts';
import { median } from '../bench/median.ts';
import { stopOnce } from './long-running.ts';
import { SIGNAL_STATES, signalExitCode } from './signal-states.ts';

export const SIGNAL_REPEATS = 5;
/** The quick form: one run of the cheapest state. */
const QUICK_STATES = ['npm run edge, while workerd is starting'];
const GOAL_MS = 5_000;

export async function runSignalsBench(quick: boolean): Promise<BenchResult> {
  const states = quick ? SIGNAL_STATES.filter((state) => QUICK_STATES.includes(state.name)) : SIGNAL_STATES;
  const repeats = quick ? 1 : SIGNAL_REPEATS;
  const rows: BenchRow[] = [];
  let missedRuns = 0;
  for (const state of states) {
    const times: number[] = [];
    let missed = 0;
    for (let repeat = 0; repeat < repeats; repeat += 1) {
      const stateRoot = await mkdtemp(join(tmpdir(), 'bench-signals-'));
      try {
        const run = await state.reach(stateRoot);
        const stopped = await stopOnce(run, state.signal, state.to);
        if (stopped.stoppedMs !== undefined) times.push(stopped.stoppedMs);
        if (stopped.stoppedMs === undefined || stopped.stoppedMs > GOAL_MS || stopped.exitCode !== signalExitCode(state.signal)) missed += 1;
      } finally {
        await rm(stateRoot, { recursive: true, force: true });
      }
    }
    missedRuns += missed;
    const label = `${state.name} (${state.signal} to ${state.to})`;
    rows.push(
      { metric: `${label}: median stop`, value: Math.round(median(times.length > 0 ? times : [0])), unit: 'ms' },
      { metric: `${label}: slowest stop`, value: Math.round(Math.max(0, ...times)), unit: 'ms', goal: `<= ${GOAL_MS}`, ok: times.every((ms) => ms <= GOAL_MS) },
      { metric: `${label}: runs over 5 s, left running or with another exit code`, value: missed, unit: 'runs', goal: '= 0', ok: missed === 0 },
    );
  }
  rows.push({ metric: 'runs over 5 s, left running or with another exit code / runs', value: missedRuns / (states.length * repeats), unit: 'ratio', goal: '= 0', ok: missedRuns === 0 });
  return { rows, notes: [`${repeats} run(s) per state; stop = from the one signal to the last process of npm's group gone (polled every 20 ms)`] };
}
