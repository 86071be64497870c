import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../fleet/testing.ts';

/**
 * What the code and docs cite must be in a clone of the repository: no notes or design documents
 * that live outside it. Cloudflare API behaviour is cited from `scripts/edge/openapi/BEHAVIOUR.md`
 * (which names each public source) or from the public source directly.
 */

const OUTSIDE = [/\bNOTES\.md\b/, /\bDESIGN\.md\b/, /\/work\/shared\b/, /\.\.\/shared\/data\b/];
const TEXT = /\.(ts|tsx|js|mjs|cjs|md|yml|yaml|json|toml)$/;

async function repositoryTextFiles(): Promise<string[]> {
  const { stdout } = await promisify(execFile)('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 });
  return stdout.split('\0').filter((path) => TEXT.test(path) && !path.endsWith('package-lock.json') && existsSync(join(REPO_ROOT, path)));
}

describe('citations', () => {
  it('no file cites a document outside the repository', async () => {
    const files = await repositoryTextFiles();
    expect(files).toContain('scripts/edge/openapi/BEHAVIOUR.md');
    const found: string[] = [];
    for (const file of files) {
      const lines = (await readFile(join(REPO_ROOT, file), 'utf8')).split('\n');
      lines.forEach((line, index) => {
        if (OUTSIDE.some((pattern) => pattern.test(line))) found.push(`${file}:${index + 1}: ${line.trim()}`);
      });
    }
    expect(found, `cite scripts/edge/openapi/BEHAVIOUR.md or the public source instead:\n${found.join('\n')}`).toEqual([]);
  });

  it('BEHAVIOUR.md gives a source for every behaviour row', async () => {
    const text = await readFile(join(REPO_ROOT, 'scripts/edge/openapi/BEHAVIOUR.md'), 'utf8');
    const rows = text.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| ---') && !/^\| (Behaviour|Code) \|/.test(line));
    expect(rows.length).toBeGreaterThan(20);
    for (const row of rows) {
      const source = row.split(' | ').at(-1) ?? '';
      expect(source, row).toMatch(/extract|wrangler|API docs|https:\/\/developers\.cloudflare\.com\/|\*observed\*/);
    }
  });
});
