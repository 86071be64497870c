import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/** The reconciler's module boundaries, read from the import statements themselves (TypeScript's own parser). */

const GITOPS = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SCRIPTS = resolve(GITOPS, '..');

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.parentPath.split(sep).includes('node_modules'))
    .map((entry) => join(entry.parentPath, entry.name));
}

const isTestFile = (file: string) => relative(GITOPS, file).split(sep).includes('test');

/** Every relative import of a file, resolved to an absolute path. */
async function importsOf(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8');
  return ts
    .preProcessFile(text, true, true)
    .importedFiles.map((imported) => imported.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => resolve(dirname(file), name));
}

/** The top-level folder of scripts/gitops a file lives in; undefined for the files at its root (the CLI entry points). */
const folderOf = (file: string): string | undefined => {
  const parts = relative(GITOPS, file).split(sep);
  return parts.length > 1 ? parts[0] : undefined;
};

/** Folder cycles as `a → b → a`, from a depth-first walk of the folder graph. */
function cycles(graph: Map<string, Set<string>>): string[] {
  const found = new Set<string>();
  const walk = (node: string, path: string[]) => {
    for (const next of graph.get(node) ?? []) {
      const at = path.indexOf(next);
      if (at >= 0) {
        const loop = path.slice(at);
        const start = loop.indexOf([...loop].sort()[0] ?? '');
        found.add([...loop.slice(start), ...loop.slice(0, start), loop[start]].join(' → '));
      } else walk(next, [...path, next]);
    }
  };
  for (const node of graph.keys()) walk(node, [node]);
  return [...found].sort();
}

describe('boundaries', () => {
  it('boundaries: no import cycles between the folders of scripts/gitops', async () => {
    const graph = new Map<string, Set<string>>();
    const edges: string[] = [];
    for (const file of (await sourceFiles(GITOPS)).filter((candidate) => !isTestFile(candidate))) {
      const from = folderOf(file);
      if (!from) continue;
      for (const target of await importsOf(file)) {
        const to = target.startsWith(GITOPS + sep) ? folderOf(target) : undefined;
        if (!to || to === from) continue;
        graph.set(from, (graph.get(from) ?? new Set()).add(to));
        edges.push(`${relative(GITOPS, file)} → ${relative(GITOPS, target)}`);
      }
    }
    expect(graph.size, 'the walk found the folders').toBeGreaterThan(5);
    expect(cycles(graph), edges.join('\n')).toEqual([]);
  });
});

describe('boundaries: imports', () => {
  it('boundaries: production files never import test support, nor another tool\'s internals (only its index.ts)', async () => {
    const offenders: string[] = [];
    for (const file of (await sourceFiles(GITOPS)).filter((candidate) => !isTestFile(candidate))) {
      for (const target of await importsOf(file)) {
        if (target.startsWith(GITOPS + sep)) {
          if (isTestFile(target)) offenders.push(`${relative(SCRIPTS, file)} imports test support ${relative(SCRIPTS, target)}`);
          continue;
        }
        const tool = relative(SCRIPTS, target).split(sep);
        // scripts/cloudflare is the platform vocabulary below every tool: each of its modules is public.
        const publicEntry = tool.at(-1) === 'index.ts' || tool[0] === 'cloudflare' || tool.join('/') === 'bench/result.ts';
        const reach = `${relative(SCRIPTS, file)} → ${relative(SCRIPTS, target)}`;
        if (tool.length > 1 && !tool[0]?.startsWith('..') && !publicEntry) offenders.push(`${reach}: reaches into another tool`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
