import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fetchWithHost } from '../../edge/src/dataplane/client.ts';
import { copyExampleFleet, REPO_ROOT } from '../../fleet/testing.ts';

const TSX = join(REPO_ROOT, 'node_modules/.bin/tsx');
const START = join(REPO_ROOT, 'scripts/start/main.ts');

interface Started {
  child: ChildProcess;
  output: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function start(cwd: string, args: string[]): Started {
  const child = spawn(TSX, [START, ...args], { cwd, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  let errors = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    errors += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : null))));
  return { child, output: () => text, stderr: () => errors, exited };
}

async function serving(started: Started): Promise<string> {
  await expect.poll(() => started.output(), { timeout: 90_000, interval: 250 }).toMatch(/The fleet is serving on (http:\/\/127\.0\.0\.1:\d+)/);
  return /The fleet is serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(started.output())![1]!;
}

// Each test starts the whole edge and reconciles the fleet (twice for the restart): on a loaded
// two-core machine that can take minutes, so these tests get room (no timing is asserted).
describe('npm start', { timeout: 300_000 }, () => {
  let stateDir: string;
  // The example fleet on its own: the services a user adds never change what this test expects.
  let fleet: Awaited<ReturnType<typeof copyExampleFleet>> | undefined;
  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'edgeops-start-'));
    fleet = await copyExampleFleet();
  });
  afterAll(async () => {
    await rm(stateDir, { recursive: true, force: true });
    await fleet?.remove();
  });

  it('starts the edge, reconciles the fleet into it and serves every service; a restart keeps it and plans no change', async () => {
    const first = start(fleet!.rootDir, ['--state-dir', stateDir, '--api-port', '0', '--port', '0']);
    try {
      const url = await serving(first);
      expect(first.output()).toMatch(/Plan: 3 to create/);
      for (const path of ['/users', '/orders', '/notifications']) {
        expect((await fetchWithHost(url, 'api.example.com', path)).status, path).toBe(200);
      }
      // The edge's log: one access line per request, prefixed with service, version and request id.
      await vi.waitFor(() => expect(first.output()).toMatch(/^\[users@1\.0\.0\S* [0-9a-f-]{36}\] GET api\.example\.com\/users 200 \d+ms version 1\.0\.0/m), { timeout: 30_000, interval: 200 });
      const order = await fetchWithHost(url, 'api.example.com', '/orders', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 'nobody', items: [{ sku: 'a', quantity: 1, unitPriceCents: 1 }] }),
      });
      expect(order.status).toBe(422);
    } finally {
      first.child.kill('SIGINT');
    }
    expect(await first.exited).toBe(130);
    expect(existsSync(join(stateDir, 'edge.lock')), 'edge.lock after Ctrl-C').toBe(false);

    const second = start(fleet!.rootDir, ['--state-dir', stateDir, '--api-port', '0', '--port', '0']);
    try {
      const url = await serving(second);
      expect(second.output()).toMatch(/No changes/);
      expect((await fetchWithHost(url, 'api.example.com', '/users')).status).toBe(200);
    } finally {
      second.child.kill('SIGTERM');
    }
    expect(await second.exited).toBe(143);
  });

  it('--env staging reconciles staging into the same edge: both environments serve, each on its hosts', { timeout: 240_000 }, async () => {
    const staging = start(fleet!.rootDir, ['--state-dir', stateDir, '--api-port', '0', '--port', '0', '--env', 'staging']);
    try {
      const url = await serving(staging);
      expect(staging.output()).toMatch(/Plan: 3 to create/);
      expect(staging.output()).toContain('api.staging.example.com/users*');
      for (const host of ['api.staging.example.com', 'api.example.com']) {
        expect((await fetchWithHost(url, host, '/users')).status, host).toBe(200);
      }
    } finally {
      staging.child.kill('SIGINT');
    }
    expect(await staging.exited).toBe(130);
    const unknown = start(fleet!.rootDir, ['--state-dir', stateDir, '--api-port', '0', '--port', '0', '--env', 'qa']);
    expect(await unknown.exited).toBe(1);
    expect(unknown.output()).toContain('wrangler.toml: env.qa: no environment "qa" is declared');
    expect(unknown.output()).not.toContain('local edge:');
  });

  it('--reset deploys the fleet again into a new account and says so in one line, without the token', async () => {
    const before = JSON.parse(await readFile(join(stateDir, 'endpoint.json'), 'utf8')) as { accountId: string; token: string };
    const run = start(REPO_ROOT, ['--state-dir', stateDir, '--api-port', '0', '--port', '0', '--reset']);
    try {
      await serving(run);
    } finally {
      run.child.kill('SIGTERM');
    }
    expect(await run.exited).toBe(143);
    const after = JSON.parse(await readFile(join(stateDir, 'endpoint.json'), 'utf8')) as { accountId: string; token: string };
    const notices = run.output().split('\n').filter((line) => line.includes('--reset'));
    expect(notices).toEqual([`--reset made a new account (account id ${before.accountId} → ${after.accountId}, a new API token): credentials saved before no longer work; the new ones are in ${join(stateDir, 'endpoint.json')}`]);
    expect(run.output()).not.toContain(before.token);
    expect(run.output()).not.toContain(after.token);
  });

  it('on a busy --port prints one line naming the port and the flag and exits 2, without workerd\'s dump', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as AddressInfo;
    try {
      const run = start(REPO_ROOT, ['--state-dir', stateDir, '--api-port', '0', '--port', String(port)]);
      expect(await run.exited).toBe(2);
      expect(run.stderr()).toBe(`start: port ${port} on 127.0.0.1 is already in use (the data plane); stop what holds it, or pick another port with --port <port> (0: any free port)\n`);
      expect(run.output()).not.toContain('kj::Exception');
    } finally {
      busy.close();
    }
  });

  it('stops with exit 1 and names the file and line when the fleet config is broken', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'edgeops-start-bad-'));
    try {
      await writeFile(join(dir, 'wrangler.toml'), 'compatibility_date = "2026-04-01"\n');
      await mkdir(join(dir, 'services/broken'), { recursive: true });
      await writeFile(join(dir, 'services/broken/wrangler.toml'), 'name = "broken"\nmain = \n');
      await writeFile(join(dir, 'services/broken/package.json'), '{"name":"broken","version":"1.0.0"}');
      const run = start(dir, ['--state-dir', join(dir, '.edge'), '--api-port', '0', '--port', '0']);
      expect(await run.exited).toBe(1);
      expect(run.output()).toMatch(/services\/broken\/wrangler\.toml:2: not valid TOML/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
