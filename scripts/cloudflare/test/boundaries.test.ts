import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../fleet/testing.ts';

const SCRIPTS = join(REPO_ROOT, 'scripts');

/**
 * Which other tool folders under scripts/ each folder's production code may import. The domain
 * module is below every tool and imports none; the fleet loader builds on it alone; dev uses the
 * fleet and shared pieces, never the edge's internals.
 */
const ALLOWED: Record<string, readonly string[]> = {
  cloudflare: [],
  fleet: ['cloudflare'],
  dev: ['cloudflare', 'fleet', 'cli'],
};

/** The scripts/ folder each relative import of `source` (at `file`) lands in; package imports are not folders. */
function importedFolders(source: string, file: string): { specifier: string; folder: string }[] {
  const { importedFiles } = ts.preProcessFile(source, true, true);
  return importedFiles
    .map((imported) => imported.fileName)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => ({ specifier, folder: relative(SCRIPTS, resolve(dirname(file), specifier)).split(sep)[0] ?? '' }));
}

async function productionFiles(folder: string): Promise<string[]> {
  const entries = await readdir(join(SCRIPTS, folder), { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => !relative(join(SCRIPTS, folder), path).split(sep).includes('test'));
}

describe('boundaries: each tool imports only what lies below it', () => {
  it('finds the folder of static, re-exported, type-only and dynamic imports', () => {
    const file = join(SCRIPTS, 'fleet', 'check.ts');
    const source = "import a from '../edge/src/index.ts';\nexport * from './routes.ts';\nimport type { B } from '../gitops/x.ts';\nconst c = await import('../../shared/y.ts');\nimport z from 'zod';\n";
    expect(importedFolders(source, file).map((found) => found.folder)).toEqual(['edge', 'fleet', 'gitops', '..']);
  });

  for (const [folder, allowed] of Object.entries(ALLOWED)) {
    it(`scripts/${folder} imports no tool but ${allowed.length > 0 ? allowed.join(', ') : 'none'}`, async () => {
      const violations: string[] = [];
      for (const file of await productionFiles(folder)) {
        for (const { specifier, folder: target } of importedFolders(await readFile(file, 'utf8'), file)) {
          if (target !== folder && !allowed.includes(target)) violations.push(`${relative(REPO_ROOT, file)} imports ${specifier}`);
        }
      }
      expect(violations).toEqual([]);
    });
  }
});
