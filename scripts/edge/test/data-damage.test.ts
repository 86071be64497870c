/**
 * Damage inside `data/` (the SQLite databases Miniflare persists KV, D1, R2 and Durable Object data
 * in): a KV database cut short after keys were written stops the next start with a StateDamageError
 * naming the file and the way out, and `npm run edge` exits 1 with it; never a silently empty
 * namespace. `--reset` is the way out that starts again from nothing.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, stat, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../fleet/testing.ts';
import { startEdge } from '../src/index.ts';
import { StateDamageError } from '../src/store/state-files.ts';
import { sqliteHeaderProblem } from '../src/store/sqlite-damage.ts';
import { ApiClient } from './support/api-client.ts';

let stateDir: string;
beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'edge-data-damage-'));
});
afterAll(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

/** The KV databases under data/ (one per namespace, beside Miniflare's metadata.sqlite), largest first. */
async function kvDatabases(): Promise<{ path: string; size: number }[]> {
  const dir = join(stateDir, 'data', 'kv', 'miniflare-KVNamespaceObject');
  const names = (await readdir(dir)).filter((name) => name.endsWith('.sqlite') && name !== 'metadata.sqlite');
  const files = await Promise.all(names.map(async (name) => ({ path: join(dir, name), size: (await stat(join(dir, name))).size })));
  return files.sort((a, b) => b.size - a.size);
}

function runEdgeCli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'scripts/edge/main.ts'), ...args], { cwd: REPO_ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

describe('damage inside the edge data directory', { timeout: 240_000 }, () => {
  it('a truncated KV database is a StateDamageError naming it and the way out, and npm run edge exits 1 with it', async () => {
    const edge = await startEdge({ stateDir, apiPort: 0, dataPort: 0, zones: ['example.com'] });
    try {
      const api = new ApiClient(edge.apiUrl, edge.token, edge.accountId);
      const namespace = await api.ok<{ id: string }>('POST', '/accounts/{a}/storage/kv/namespaces', { body: { title: 'users' } });
      const users = Array.from({ length: 400 }, (_, index) => ({ key: `user:${index}`, value: JSON.stringify({ id: index, name: `user ${index}` }), metadata: { seeded: index } }));
      await api.ok('PUT', `/accounts/{a}/storage/kv/namespaces/${namespace.id}/bulk`, { body: users });
      const keys = await api.ok<{ name: string }[]>('GET', `/accounts/{a}/storage/kv/namespaces/${namespace.id}/keys?limit=1000`);
      expect(keys).toHaveLength(400);
    } finally {
      await edge.stop();
    }

    const [largest] = await kvDatabases();
    if (!largest) throw new Error('the edge wrote no KV database');
    // Cut it short as a partial copy would: some whole pages and a part of one.
    await truncate(largest.path, Math.max(100, Math.floor(largest.size / 2) + 10));
    const file = relative(stateDir, largest.path);

    const refused = await startEdge({ stateDir, apiPort: 0, dataPort: 0 }).then(
      async (started) => {
        await started.stop();
        return undefined;
      },
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(StateDamageError);
    expect((refused as StateDamageError).file).toBe(file);
    expect((refused as Error).message).toMatch(new RegExp(`^edge state file ${file.replaceAll('.', '\\.')} is truncated: .*Restore .* or start over with --reset`));

    const cli = await runEdgeCli(['--state-dir', stateDir, '--api-port', '0', '--port', '0']);
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain(`edge state file ${file} is truncated`);
    expect(cli.stderr).not.toMatch(/node_modules|    at /);
  });

  it('a header that disagrees with its file size is named for what it is', () => {
    const header = Buffer.alloc(100);
    header.write('SQLite format 3\0', 0, 'latin1');
    header.writeUInt16BE(4096, 16);
    header.writeUInt32BE(7, 24);
    header.writeUInt32BE(3, 28);
    header.writeUInt32BE(7, 92);
    expect(sqliteHeaderProblem(header, 3 * 4096)).toBeUndefined();
    expect(sqliteHeaderProblem(header, 2 * 4096)).toBe('is truncated: 8192 bytes, its header says 3 pages of 4096 bytes (12288)');
    expect(sqliteHeaderProblem(header, 3 * 4096 - 1)).toBe('is truncated: 12287 bytes, not a whole number of 4096-byte pages');
    expect(sqliteHeaderProblem(header, 0)).toBe('is empty (0 bytes)');
    expect(sqliteHeaderProblem(Buffer.alloc(100), 4096)).toMatch(/is not a SQLite database/);
    // A count the header marks stale (version-valid-for ≠ change counter) is not trusted.
    header.writeUInt32BE(6, 92);
    expect(sqliteHeaderProblem(header, 2 * 4096)).toBeUndefined();
  });
});
