import { mkdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ScaffoldPlan } from './plan.ts';

/** What {@link applyPlan} did, so {@link rollBack} can undo exactly that. */
export interface Applied {
  rootDir: string;
  files: string[];
  /** Directories created, outermost first. */
  dirs: string[];
  /** Edited files and their text before the edit. */
  edits: { path: string; before: string }[];
}

/** Creates the directories on the way to `dir` that do not exist yet; returns them, outermost first. */
async function makeDirs(rootDir: string, dir: string): Promise<string[]> {
  const first = await mkdir(dir, { recursive: true });
  if (first === undefined) return [];
  const created: string[] = [];
  for (let current = dir; ; current = dirname(current)) {
    created.unshift(current);
    if (current === first || current === rootDir || dirname(current) === current) break;
  }
  return created;
}

/** The failure `applyPlan` hits midway; what it had written is already removed. */
export class WriteError extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.name = 'WriteError';
  }
}

/**
 * Writes the plan's new files (never over an existing one: `wx`), then its edits, each edit only if
 * the file still reads as the plan saw it. On any failure everything written so far is undone and a
 * {@link WriteError} is thrown: nothing is left half-applied.
 */
export async function applyPlan(rootDir: string, plan: ScaffoldPlan, hooks: { beforeEach?: (path: string) => void } = {}): Promise<Applied> {
  const applied: Applied = { rootDir, files: [], dirs: [], edits: [] };
  try {
    for (const file of plan.files) {
      const path = join(rootDir, file.path);
      hooks.beforeEach?.(file.path);
      applied.dirs.push(...(await makeDirs(rootDir, dirname(path))));
      await writeFile(path, file.contents, { flag: 'wx' });
      applied.files.push(path);
    }
    for (const edit of plan.edits) {
      const path = join(rootDir, edit.path);
      hooks.beforeEach?.(edit.path);
      const current = await readFile(path, 'utf8');
      if (current !== edit.before) throw new Error(`${edit.path} changed since the plan was made; run again`);
      applied.edits.push({ path, before: current });
      await writeFile(path, edit.after);
    }
  } catch (error) {
    await rollBack(applied);
    const detail = error instanceof Error ? error.message : String(error);
    throw new WriteError(`writing failed (${detail}); everything written was removed again`, error);
  }
  return applied;
}

/** Undoes {@link applyPlan}: restores edited files, removes created files and the directories it made. */
export async function rollBack(applied: Applied): Promise<void> {
  for (const edit of [...applied.edits].reverse()) await writeFile(edit.path, edit.before);
  for (const file of [...applied.files].reverse()) await rm(file, { force: true });
  for (const dir of [...applied.dirs].reverse()) await rmdir(dir).catch(() => undefined);
}
