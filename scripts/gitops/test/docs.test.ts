import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../fleet/testing.ts';
import { renderActionTable } from '../report/action-table.ts';

describe('docs', () => {
  it('docs: the action table in docs/gitops.md is the action registry', async () => {
    const text = await readFile(join(REPO_ROOT, 'docs', 'gitops.md'), 'utf8');
    const block = /<!-- action-table:start[^\n]*\n([\s\S]*?)\n\s*<!-- action-table:end -->/.exec(text)?.[1];
    expect(block, 'docs/gitops.md has the action-table markers').toBeDefined();
    const inDocs = (block ?? '').split('\n').map((line) => line.trim()).join('\n');
    expect(inDocs, `paste this table into docs/gitops.md:\n${renderActionTable()}`).toBe(renderActionTable());
  });
});
