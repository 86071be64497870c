/**
 * The processes a bench starts: each command runs in a process group of its own (`detached`), so
 * stopping it stops everything it started (npm → node → workerd), and nothing outlives the bench.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { signalGroup } from '../cli/index.ts';

/** How long a group may take to exit after SIGTERM before it is killed. */
const STOP_GRACE_MS = 10_000;
/** Output chunks kept per process, for the error message when it fails. */
const KEPT_CHUNKS = 200;

export interface Launched {
  child: ChildProcess;
  output: string[];
}

/**
 * The environment of a launched command: this process's, without what would steer a nested tool
 * (vitest's worker variables, npm's `npm_*` variables such as the calling project's prefix), with
 * wrangler's metrics off and no colours.
 */
function childEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(VITEST|TINYPOOL|NODE_ENV$|npm_)/i.test(key)) env[key] = value;
  }
  return { ...env, WRANGLER_SEND_METRICS: 'false', CI: '1', NO_COLOR: '1', FORCE_COLOR: '0', ...extra };
}

/** Starts `command` in a process group of its own, keeping the tail of its output. */
export function launch(command: string, args: string[], cwd: string, extraEnv: NodeJS.ProcessEnv = {}): Launched {
  const output: string[] = [];
  const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: childEnv(extraEnv) });
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString('utf8'));
    if (output.length > KEPT_CHUNKS) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output };
}

/** The last `characters` of what the process printed. */
export function tailOf(launched: Launched, characters = 2000): string {
  return launched.output.join('').slice(-characters);
}

/** Waits until no process of group `pid` is left, polling; false after `timeoutMs`. */
async function groupGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (signalGroup(pid, 0)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/**
 * Stops the process's whole group: SIGTERM (a tool shuts down cleanly), SIGKILL after a grace
 * period; returns once the leader has exited and no process of the group is left.
 */
export async function stop(launched: Launched): Promise<void> {
  const { child } = launched;
  if (child.pid === undefined) return;
  const running = child.exitCode === null && child.signalCode === null;
  const exited = running ? once(child, 'exit') : Promise.resolve();
  signalGroup(child.pid, 'SIGTERM');
  if (!(await groupGone(child.pid, STOP_GRACE_MS))) {
    signalGroup(child.pid, 'SIGKILL');
    await groupGone(child.pid, STOP_GRACE_MS);
  }
  await exited;
}

export interface Finished {
  code: number;
  ms: number;
  output: string;
}

/** Runs `command` to its end in a group of its own; its group is stopped if anything is left of it. */
export async function runToEnd(command: string, args: string[], cwd: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Finished> {
  const started = performance.now();
  const launched = launch(command, args, cwd, extraEnv);
  try {
    const [code, signal] = (await once(launched.child, 'exit')) as [number | null, NodeJS.Signals | null];
    return { code: code ?? (signal ? 128 : 1), ms: performance.now() - started, output: tailOf(launched, 4000) };
  } finally {
    await stop(launched);
  }
}

/** A TCP port free on loopback right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
