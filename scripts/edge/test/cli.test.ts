/** `npm run edge`: the CLI starts the edge, prints where it is (never the token) and stops on SIGTERM. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { withTempDir } from '../../fleet/temp-dir.ts';
import { readEndpointFile, type EdgeEndpoint } from '../../cloudflare/endpoint.ts';
import { ApiClient } from './support/api-client.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const MAIN = join(ROOT, 'scripts/edge/main.ts');

let stateDir: string;

withTempDir('edge-cli-', (made) => (stateDir = made));

function run(args: string[]) {
  // Its own process group, so a signal reaches tsx, node and workerd at once, as Ctrl-C does.
  const child = spawn(TSX, [MAIN, ...args], { cwd: ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  let errors = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    errors += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output: () => output, stderr: () => errors, exited };
}

async function started(edge: ReturnType<typeof run>): Promise<EdgeEndpoint> {
  await expect.poll(() => edge.child.exitCode !== null || edge.output().includes('api token'), { timeout: 90_000, interval: 100 }).toBe(true);
  if (edge.child.exitCode !== null) throw new Error(`edge exited early:\n${edge.output()}`);
  const endpoint = await readEndpointFile(join(stateDir, 'endpoint.json'));
  if (!endpoint) throw new Error('edge started but wrote no endpoint.json');
  return endpoint;
}

/** Holds a port the way another program would. */
async function occupyPort(): Promise<Server & { port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(server, { port: (server.address() as AddressInfo).port });
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
    expect(existsSync(join(stateDir, 'edge.lock')), 'edge.lock after a clean stop').toBe(false);
  });

  it('edge CLI: removes its edge.lock when stopped with Ctrl-C (SIGINT)', async () => {
    const edge = run(['--state-dir', stateDir, '--api-port', '0', '--port', '0']);
    await started(edge);
    expect(existsSync(join(stateDir, 'edge.lock'))).toBe(true);
    process.kill(-(edge.child.pid ?? 0), 'SIGINT');
    expect(await edge.exited).toBe(130);
    expect(existsSync(join(stateDir, 'edge.lock'))).toBe(false);
  });

  it('edge CLI: --reset says in one line that the account id and token changed, without printing a token', async () => {
    const before = await readEndpointFile(join(stateDir, 'endpoint.json'));
    if (!before) throw new Error('no endpoint.json before --reset');
    const edge = run(['--state-dir', stateDir, '--api-port', '0', '--port', '0', '--reset']);
    const after = await started(edge);
    process.kill(-(edge.child.pid ?? 0), 'SIGTERM');
    expect(await edge.exited).toBe(143);
    expect(after.accountId).not.toBe(before.accountId);
    const notices = edge.output().split('\n').filter((line) => line.includes('--reset'));
    expect(notices).toEqual([`--reset made a new account (account id ${before.accountId} → ${after.accountId}, a new API token): credentials saved before no longer work; the new ones are in ${join(stateDir, 'endpoint.json')}`]);
    expect(edge.output()).not.toContain(before.token);
    expect(edge.output()).not.toContain(after.token);
  });

  it('edge CLI: --reset on a fresh state directory says nothing about a new account', async () => {
    const fresh = await mkdtemp(join(tmpdir(), 'edge-cli-fresh-'));
    try {
      const edge = run(['--state-dir', fresh, '--api-port', '0', '--port', '0', '--reset']);
      await expect.poll(() => edge.child.exitCode !== null || edge.output().includes('api token'), { timeout: 90_000, interval: 100 }).toBe(true);
      process.kill(-(edge.child.pid ?? 0), 'SIGTERM');
      expect(await edge.exited).toBe(143);
      expect(edge.output()).not.toContain('new account');
    } finally {
      await rm(fresh, { recursive: true, force: true });
    }
  });

  for (const flag of ['--port', '--api-port']) {
    it(`edge CLI: a busy ${flag} is one clear line naming the port and the flag, exit 2, no workerd dump`, async () => {
      const busy = await occupyPort();
      try {
        const other = flag === '--port' ? '--api-port' : '--port';
        const edge = run(['--state-dir', stateDir, flag, String(busy.port), other, '0']);
        expect(await edge.exited).toBe(2);
        expect(edge.stderr()).toBe(`edge: port ${busy.port} on 127.0.0.1 is already in use (the ${flag === '--port' ? 'data plane' : 'control plane'}); stop what holds it, or pick another port with ${flag} <port> (0: any free port)\n`);
        expect(edge.output()).not.toContain('kj::Exception');
        expect(existsSync(join(stateDir, 'edge.lock'))).toBe(false);
      } finally {
        busy.close();
      }
    });
  }

  it('edge CLI: refuses an invalid port with a clear message and a non-zero exit', async () => {
    const edge = run(['--state-dir', stateDir, '--api-port', 'eighty']);
    expect(await edge.exited).not.toBe(0);
    expect(edge.output()).toContain('expected a port number');
  });
});
