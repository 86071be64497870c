/**
 * The states a long-running command is stopped in, for the signal suite (test and bench): each
 * names the command, how to bring it to that state, and the ONE signal it then gets, to npm alone
 * (`kill <pid>`, a process manager) or to the whole group (Ctrl-C in a terminal).
 */
import { join } from 'node:path';
import { exerciseFleet, groupMembers, npmRun, waitForOutput, type LongRunning } from './long-running.ts';

export interface SignalState {
  name: string;
  signal: 'SIGINT' | 'SIGTERM';
  to: 'npm' | 'group';
  /** Starts the command with its state under `stateRoot` and resolves once it is in this state. */
  reach(stateRoot: string): Promise<LongRunning>;
}

const SERVING = /The fleet is serving on (http:\/\/127\.0\.0\.1:\d+)/;

/** Starts `start`, then waits for `inState`; kills the group if it never gets there. */
async function reaching(run: LongRunning, inState: (run: LongRunning) => Promise<unknown>): Promise<LongRunning> {
  try {
    await inState(run);
    return run;
  } catch (error) {
    if (run.pid) process.kill(-run.pid, 'SIGKILL');
    throw error;
  }
}

export const SIGNAL_STATES: readonly SignalState[] = [
  {
    name: 'npm start, right after deploys and queue traffic',
    signal: 'SIGTERM',
    to: 'npm',
    reach: (root) =>
      reaching(npmRun('start', ['--state-dir', join(root, 'start'), '--api-port', '0', '--port', '0', '--quiet']), async (run) => {
        const [, url = ''] = await waitForOutput(run, SERVING);
        await exerciseFleet(url);
      }),
  },
  {
    name: 'npm start, while the apply is mid-way',
    signal: 'SIGINT',
    to: 'group',
    reach: (root) => reaching(npmRun('start', ['--state-dir', join(root, 'start-mid-apply'), '--api-port', '0', '--port', '0', '--quiet']), (run) => waitForOutput(run, /Plan: \d+ to create/)),
  },
  {
    name: 'npm run edge, while workerd is starting',
    signal: 'SIGINT',
    to: 'npm',
    reach: (root) =>
      reaching(npmRun('edge', ['--state-dir', join(root, 'edge'), '--api-port', '0', '--port', '0']), async (run) => {
        const until = Date.now() + 120_000;
        while (!groupMembers(run.pid).includes('workerd') && !run.output().includes('api token')) {
          if (Date.now() > until) throw new Error(`workerd never started:\n${run.output()}`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }),
  },
  {
    name: 'npm run edge, idle',
    signal: 'SIGTERM',
    to: 'npm',
    reach: (root) => reaching(npmRun('edge', ['--state-dir', join(root, 'edge-idle'), '--api-port', '0', '--port', '0']), (run) => waitForOutput(run, /api token/)),
  },
  {
    name: 'npm run dev, idle',
    signal: 'SIGTERM',
    to: 'npm',
    reach: (root) => reaching(npmRun('dev', ['--port', '0', '--no-watch', '--persist-to', join(root, 'dev')]), (run) => waitForOutput(run, /Ctrl-C stops\./)),
  },
];

/** The conventional exit code of a command stopped by `signal`. */
export function signalExitCode(signal: SignalState['signal']): number {
  return signal === 'SIGINT' ? 130 : 143;
}
