import { PassThrough } from 'node:stream';
import type { CliIO } from '../../cli.ts';

/** The CLI's streams in memory: what a user would type (`answers`, one line each) and what they would see. */
export function memoryIO(options: { interactive: boolean; answers?: string[] }): CliIO & { out(): string; err(): string } {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  for (const answer of options.answers ?? []) stdin.write(`${answer}\n`);
  stdin.end();
  return { stdin, stdout, stderr, interactive: options.interactive, out: () => out, err: () => err };
}
