import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Fleet } from './load.ts';

const run = promisify(execFile);

/** The files that differ between `base` and the working tree (committed or not), as `git diff --name-only` lists them. */
export async function changedPaths(rootDir: string, base: string): Promise<string[]> {
  try {
    const { stdout } = await run('git', ['diff', '--name-only', base, '--'], { cwd: rootDir });
    return stdout.split('\n').filter((line) => line.trim() !== '');
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n').slice(-2).join(' ').trim() : String(error);
    throw new Error(`git diff against "${base}" failed in ${rootDir}: ${detail}; expected a ref such as origin/main`);
  }
}

/**
 * The services a pull request's preview deploys, given the files it changes:
 * - every service whose folder (`services/<name>/`) changed;
 * - every service whose contract (`shared/src/contracts/<name>.ts`) changed: the provider;
 * - then, repeatedly, every service that binds one of those (its dependants), so a changed
 *   service is previewed together with the callers a reviewer reaches it through.
 * Sorted by name.
 */
export function previewSet(fleet: Fleet, paths: readonly string[]): string[] {
  const names = new Set(fleet.services.map((service) => service.name));
  const selected = new Set<string>();
  for (const path of paths) {
    const folder = /^services\/([^/]+)\//.exec(path)?.[1];
    const contract = /^shared\/src\/contracts\/([^/]+)\.ts$/.exec(path)?.[1];
    for (const name of [folder, contract]) if (name && names.has(name)) selected.add(name);
  }
  let grew = true;
  while (grew) {
    grew = false;
    for (const service of fleet.services) {
      if (selected.has(service.name)) continue;
      if ((service.config.services ?? []).some((binding) => selected.has(binding.service))) {
        selected.add(service.name);
        grew = true;
      }
    }
  }
  return [...selected].sort();
}
