/**
 * `npm run bench -- --quick` runs every registered bench in its small form and writes a complete,
 * valid results file and page. No timing is asserted: the figures depend on the machine.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { withTempDir } from '../../fleet/temp-dir.ts';
import { BENCHES } from '../registry.ts';
import { LatestResults } from '../result.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TSX = join(ROOT, 'node_modules/.bin/tsx');

let outDir: string;

withTempDir('bench-quick-', (made) => (outDir = made));

async function installedVersion(name: string): Promise<string> {
  return (JSON.parse(await readFile(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

describe('bench --quick', () => {
  it('bench: --quick runs every registered bench and writes a complete latest.json and Markdown page', async () => {
    const { stdout } = await run(TSX, ['scripts/bench/main.ts', '--quick', '--out', outDir], {
      cwd: ROOT,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
      maxBuffer: 16 * 1024 * 1024,
    });
    const latest = LatestResults.parse(JSON.parse(await readFile(join(outDir, 'latest.json'), 'utf8')));
    expect(Object.keys(latest.benches)).toEqual(BENCHES.map((bench) => bench.name));
    for (const [name, result] of Object.entries(latest.benches)) {
      expect(result.quick, name).toBe(true);
      for (const row of result.rows) {
        if (row.goal !== undefined) expect(typeof row.ok, `${name} ${row.metric}: a goal needs its verdict`).toBe('boolean');
      }
      expect(result.rows.some((row) => row.unit === 'ratio' || row.unit === '×'), `${name} states a ratio`).toBe(true);
    }
    expect(latest.environment).toMatchObject({ node: process.version, wrangler: await installedVersion('wrangler'), workerd: await installedVersion('workerd') });

    const page = await readFile(join(outDir, 'benchmarks.md'), 'utf8');
    expect(page).toContain(`Node ${process.version}, wrangler ${latest.environment.wrangler}, workerd ${latest.environment.workerd}`);
    for (const [name, result] of Object.entries(latest.benches)) {
      expect(page).toContain(`## ${name}`);
      for (const row of result.rows) expect(page).toContain(`| ${row.metric.replaceAll('|', '\\|')} |`);
    }
    for (const bench of BENCHES) expect(stdout).toContain(bench.name);
  }, 600_000);

  it('bench: an unknown flag or bench name fails with usage and exit 1, writing nothing', async () => {
    const badFlag = run(TSX, ['scripts/bench/main.ts', '--fast', '--out', join(outDir, 'bad')], { cwd: ROOT });
    await expect(badFlag).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('usage: npm run bench -- [--quick]') });
    const badName = run(TSX, ['scripts/bench/main.ts', '--quick', '--out', join(outDir, 'bad'), 'no-such-bench'], { cwd: ROOT });
    await expect(badName).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('Unknown bench "no-such-bench"; known: edge-dataplane') });
    await expect(readFile(join(outDir, 'bad', 'latest.json'), 'utf8')).rejects.toThrow(/ENOENT/);
  });
});
