import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { describe, expect, it } from 'vitest';
import { fetchWithHost } from '../../edge/src/dataplane/client.ts';
import { withTempDir } from '../../fleet/temp-dir.ts';
import { REPO_ROOT } from '../../fleet/testing.ts';

/**
 * `npm run dev`'s exit codes as the README's table states them, from the command a user types, in
 * its own process group as a terminal runs it: Ctrl-C (SIGINT to the group) → 130, SIGTERM → 143,
 * a bad flag → 1. The runs that start serve a request first and ask for the start-up phases
 * (EDGEOPS_DEV_TIMING=1).
 */

/** The phases `EDGEOPS_DEV_TIMING=1` reports, in the order they happen (scripts/dev/timing.ts). */
const PHASES = [
  "node started, dev's code loaded",
  'packages loaded',
  'fleet loaded and checked',
  'miniflare loaded (while esbuild bundles)',
  'services bundled',
  'miniflare ready (workerd listening)',
  'D1 migrations applied',
  'serving',
];

interface Run {
  pid: number;
  output: () => string;
  exited: Promise<number | null>;
}

function npmRunDev(args: string[]): Run {
  const child = spawn('npm', ['run', 'dev', '--', ...args], {
    cwd: REPO_ROOT,
    detached: true,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', EDGEOPS_DEV_TIMING: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  // Killed by a signal: the shell's convention, 128 + its number.
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal === null ? null : 128 + constants.signals[signal]))));
  if (child.pid === undefined) throw new Error('npm did not start');
  return { pid: child.pid, output: () => text, exited };
}

/** Resolves once dev says it is serving; rejects with its output if it exits first. */
function ready(run: Run): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (run.output().includes('Ctrl-C stops.')) {
        clearInterval(timer);
        resolve();
      }
    }, 100);
    void run.exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`npm run dev exited with ${code} before serving:\n${run.output()}`));
    });
  });
}

describe('npm run dev: exit codes', () => {
  let persist: string;
  withTempDir('edgeops-dev-exit-', (made) => (persist = made));

  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`stopped by ${signal} to its process group: exit ${code}, nothing left running`, async () => {
      const run = npmRunDev(['--port', '0', '--no-watch', '--persist-to', persist]);
      try {
        await ready(run);
        // The compiled dev (scripts/cli/run-bundled.mjs) serves the fleet, as under any loader.
        const origin = /services on (http:\/\/\S+)/.exec(run.output())?.[1];
        expect(origin, run.output()).toBeDefined();
        expect((await fetchWithHost(origin!, 'api.example.com', '/users')).status).toBe(200);
      } finally {
        process.kill(-run.pid, signal);
      }
      expect(await run.exited, run.output()).toBe(code);
      const reported = [...run.output().matchAll(/^dev timing: (.+) \+\d+ ms \(\d+ ms\)$/gm)].map((match) => match[1]);
      expect(reported.map((phase) => PHASES.find((known) => phase?.startsWith(known)))).toEqual(PHASES);
      await expect.poll(() => {
        try {
          process.kill(-run.pid, 0);
          return 'running';
        } catch {
          return 'gone';
        }
      }, { timeout: 30_000, interval: 200 }).toBe('gone');
    }, 120_000);
  }

  it('a bad flag: exit 1 with the reason', async () => {
    const run = npmRunDev(['--port', 'eighty']);
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/expected a port number 0–65535/);
  });
});
