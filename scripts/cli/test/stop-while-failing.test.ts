/**
 * A signal's exit code survives a failure the signal itself causes: a command that fails while a stop
 * signal is being handled leaves the exit to the stop (128 + the signal's number), as `npm start`
 * does when one SIGINT to the group ends workerd mid-apply and the apply then fails.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const FIXTURE = fileURLToPath(new URL('./fixtures/fails-while-stopping.ts', import.meta.url));

describe('stop on signal', () => {
  it('a failure during the stop leaves the exit code to the signal (130 for SIGINT), not the failure (1)', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output === 'ready\n') child.kill('SIGINT');
    });
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(output).toContain('the work failed');
    expect(code).toBe(130);
  });
});
