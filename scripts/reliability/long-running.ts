/**
 * A long-running command (`npm start`, `npm run edge`, `npm run dev`) as a user runs it: through
 * npm, in its own process group (a terminal's job), so a signal can go to npm alone or to the whole
 * group, and the group can be watched until every process of it (npm, sh, node, workerd) is gone.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { fetchWithHost } from '../edge/src/dataplane/index.ts';
import { groupAlive, signalGroup } from '../cli/index.ts';
import { REPO_ROOT } from '../fleet/testing.ts';

export interface LongRunning {
  /** npm's pid, the leader of the group. */
  pid: number;
  output(): string;
  /** npm's exit code, or 128 + the signal that ended it. */
  exited: Promise<number>;
}

export function npmRun(script: 'start' | 'edge' | 'dev', args: string[]): LongRunning {
  const child = spawn('npm', ['run', script, '--', ...args], {
    cwd: REPO_ROOT,
    detached: true,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`npm run ${script} did not start`);
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number>((resolve) => child.on('exit', (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 0))));
  return { pid: child.pid, output: () => text, exited };
}

/** The commands (`comm`) of the processes still in process group `pgid` (Linux /proc). */
export function groupMembers(pgid: number): string[] {
  const members: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid pgrp …: comm may hold spaces and parentheses, so split after the last ')'.
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') members.push(stat.slice(stat.indexOf('(') + 1, close));
    } catch {
      // The process ended while the directory was read.
    }
  }
  return members;
}

/** Waits for `pattern` in the output; throws with the output when the command exits first or after `timeoutMs`. */
export async function waitForOutput(run: LongRunning, pattern: RegExp, timeoutMs = 180_000): Promise<RegExpExecArray> {
  let ended = false;
  void run.exited.then(() => (ended = true));
  const until = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(run.output());
    if (match) return match;
    if (ended || Date.now() > until) throw new Error(`${ended ? 'exited' : 'timed out'} before ${pattern}:\n${run.output().slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Kills what is left of the group (after a failed run) so no workerd outlives it. */
export function killGroup(pgid: number): void {
  signalGroup(pgid, 'SIGKILL');
}

/** How long a stopped group may take to disappear before the run counts as failed (far above the 5 s goal). */
export const GONE_WITHIN_MS = 60_000;

export interface Stopped {
  /** From the signal to the last process of the group gone; undefined when it outlived GONE_WITHIN_MS. */
  stoppedMs: number | undefined;
  /** npm's exit code (128 + the signal when it ended by one). */
  exitCode: number;
}

/** Sends ONE `signal` to npm alone or to its whole group, and waits for the group to be gone; kills what is left after that. */
export async function stopOnce(run: LongRunning, signal: 'SIGINT' | 'SIGTERM', to: 'npm' | 'group'): Promise<Stopped> {
  const sent = performance.now();
  process.kill(to === 'npm' ? run.pid : -run.pid, signal);
  while (groupAlive(run.pid) && performance.now() - sent < GONE_WITHIN_MS) await new Promise((resolve) => setTimeout(resolve, 20));
  const gone = !groupAlive(run.pid);
  const stoppedMs = gone ? performance.now() - sent : undefined;
  killGroup(run.pid);
  return { stoppedMs, exitCode: await run.exited };
}

/** Activity on the example fleet served at `url`: a user, then orders (each sends a queue message to notifications). */
export async function exerciseFleet(url: string, orders = 5): Promise<void> {
  const json = { 'content-type': 'application/json' };
  const user = await fetchWithHost(url, 'api.example.com', '/users', { method: 'POST', headers: json, body: JSON.stringify({ email: `signal-${Date.now()}@example.com`, name: 'Signal' }) });
  if (user.status !== 201) throw new Error(`POST /users answered ${user.status}`);
  const { id } = (await user.json()) as { id: string };
  for (let order = 0; order < orders; order += 1) {
    const placed = await fetchWithHost(url, 'api.example.com', '/orders', { method: 'POST', headers: json, body: JSON.stringify({ userId: id, items: [{ sku: `sku-${order}`, quantity: 1, unitPriceCents: 100 }] }) });
    if (placed.status !== 201) throw new Error(`POST /orders answered ${placed.status}`);
  }
}
