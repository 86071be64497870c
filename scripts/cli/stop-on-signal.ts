/**
 * How a long-running command (`npm start`, `npm run edge`, `npm run dev`) ends: ONE SIGINT, SIGTERM
 * or SIGHUP stops it in every state, with the conventional exit code 128 + the signal's number.
 *
 * - The first signal starts a graceful stop (`stop`), bounded by `graceMs`: whatever hangs in it
 *   (a connection that never closes, a runtime that never answers), the process exits then. A
 *   second signal exits at once. Exiting runs Miniflare's exit hook, which SIGKILLs workerd.
 * - The command also stops, as if sent SIGTERM, when the process that started it goes away (its
 *   parent pid changes): npm killed with SIGKILL, a wrapper that dies of a signal without passing
 *   it on. Otherwise it would keep serving, orphaned, with workerd, in a group nobody watches.
 *
 * Why a signal was ignored before, after activity: the npm scripts ran `tsx <main>` through
 * `sh -c`. A signal sent to npm alone reached only that shell: dash dies of SIGTERM and waits out
 * SIGINT, and neither passes it on. tsx's own wrapper relays a signal to its child but SIGKILLs it
 * when the child does not acknowledge within 30 ms (a busy event loop right after deploys or queue
 * traffic), which skipped every exit hook and left workerd running, without its parent, until a
 * second signal. The scripts are now `exec node --import tsx <main>`: one process between npm and
 * workerd, which gets npm's signal itself.
 */
import { constants } from 'node:os';

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type StopSignal = (typeof STOP_SIGNALS)[number];

/** How long a graceful stop may take before the process exits anyway. */
export const DEFAULT_GRACE_MS = 3_000;
/** How often the parent pid is compared with the one the command started under. */
const ORPHAN_CHECK_MS = 500;

export interface StopOnSignalOptions {
  /** The command's name, for its one line on stderr when a stop overruns its grace. */
  name: string;
  /** Stops what runs so far; the process exits when it settles. */
  stop: () => Promise<void>;
  graceMs?: number;
}

function exitCode(signal: StopSignal): number {
  return 128 + constants.signals[signal];
}

/** The stop signal being handled, once one arrived. */
let stoppingOn: StopSignal | undefined;

/**
 * True once a stop signal arrived. A command's own failure exit then yields to the stop, which exits
 * with 128 + the signal's number when it settles: a signal sent to the whole group ends workerd at
 * once, so whatever the command was doing (an apply, say) fails on its way down, and that failure
 * is the signal's doing, not worth a message or a failure's exit code.
 */
export function isStopping(): boolean {
  return stoppingOn !== undefined;
}

/** Installs the handlers; call it first thing, before anything that starts workerd. */
export function stopOnSignal(options: StopOnSignalOptions): void {
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  const begin = (signal: StopSignal): void => {
    if (stoppingOn !== undefined) process.exit(exitCode(signal));
    stoppingOn = signal;
    setTimeout(() => {
      process.stderr.write(`${options.name}: still stopping ${graceMs / 1000} s after ${signal}; exiting now\n`);
      process.exit(exitCode(signal));
    }, graceMs);
    options.stop().then(
      () => process.exit(exitCode(signal)),
      (error: unknown) => {
        process.stderr.write(`${options.name}: failed to stop cleanly after ${signal}: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(exitCode(signal));
      },
    );
  };
  for (const signal of STOP_SIGNALS) process.on(signal, () => begin(signal));
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) begin('SIGTERM');
  }, ORPHAN_CHECK_MS).unref();
}
