/** `npm run edge`: the CLI starts the edge, prints where it is (never the token) and stops on SIGTERM. */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEndpointFile } from '../../cloudflare/endpoint.ts';
import { ApiClient } from './support/api-client.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const MAIN = join(ROOT, 'scripts/edge/main.ts');

let stateDir: string;

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'edge-cli-'));
});

afterAll(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

function run(args: string[]) {
  // Its own process group, so a signal reaches tsx, node and workerd at once, as Ctrl-C does.
  const child = spawn(TSX, [MAIN, ...args], { cwd: ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

describe('edge CLI', () => {
  it('edge CLI: prints the endpoints without the token, serves the API and stops on SIGTERM leaving nothing running', async () => {
    const edge = run(['--state-dir', stateDir, '--api-port', '0', '--port', '0', '--zone', 'example.com', '--zone', 'example.org']);
    const deadline = Date.now() + 60_000;
    while (!edge.output().includes('api token') && Date.now() < deadline) {
      if (edge.child.exitCode !== null) throw new Error(`edge exited early:\n${edge.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const endpoint = await readEndpointFile(join(stateDir, 'endpoint.json'));
    if (!endpoint) throw new Error('the edge wrote no endpoint.json');
    expect(edge.output()).toContain(endpoint.apiUrl);
    expect(edge.output()).toContain(endpoint.url);
    expect(edge.output()).toContain(join(stateDir, 'endpoint.json'));
    expect(edge.output()).not.toContain(endpoint.token);
    const api = new ApiClient(endpoint.apiUrl, endpoint.token, endpoint.accountId);
    const zones = await api.ok<{ name: string }[]>('GET', '/zones');
    expect(zones.map((zone) => zone.name).sort()).toEqual(['example.com', 'example.org']);
    expect((await fetch(endpoint.url, { headers: { host: 'nothing.example.com' } })).status).toBe(404);
    process.kill(-(edge.child.pid ?? 0), 'SIGTERM');
    // Miniflare's exit hook stops workerd and exits with the conventional 128 + SIGTERM.
    expect(await edge.exited).toBe(143);
    await expect(fetch(`${endpoint.apiUrl}/zones`)).rejects.toThrow();
    await expect(fetch(endpoint.url)).rejects.toThrow();
  });

  it('edge CLI: refuses an invalid port with a clear message and a non-zero exit', async () => {
    const edge = run(['--state-dir', stateDir, '--api-port', 'eighty']);
    expect(await edge.exited).not.toBe(0);
    expect(edge.output()).toContain('expected a port number');
  });
});
