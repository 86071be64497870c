import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScaffoldError } from '../errors.ts';
import { planScaffold, type ScaffoldRequest } from '../plan.ts';
import { scaffold } from '../scaffold.ts';
import { applyPlan, WriteError } from '../write.ts';
import { snapshot, withRepoCopy } from './support/repo-copy.ts';

/** Writing is all or nothing: every failure after the checks leaves the tree exactly as it was. */
let copy: string;
let before: Map<string, string>;
let request: ScaffoldRequest;
withRepoCopy((made) => {
  ({ copy, before } = made);
  request = { rootDir: copy, name: 'ledger', template: 'http', bind: ['users'] };
});

describe('write: nothing half-applied', () => {
  it('removes every file and folder it wrote when a write fails midway', async () => {
    const plan = await planScaffold(request);
    let writes = 0;
    const failing = applyPlan(copy, plan, {
      beforeEach: () => {
        if (++writes === 6) throw new Error('disk full');
      },
    });
    await expect(failing).rejects.toThrow(new WriteError('writing failed (disk full); everything written was removed again', undefined));
    expect(await snapshot(copy)).toEqual(before);
  });

  it('never overwrites: a file that appeared after planning fails the write, is left as it was, and the rest is removed', async () => {
    const plan = await planScaffold(request);
    const theirs = join(copy, 'shared/src/contracts/ledger.ts');
    await writeFile(theirs, '// someone else\'s\n');
    try {
      await expect(applyPlan(copy, plan)).rejects.toThrow(/EEXIST/);
      expect(await readFile(theirs, 'utf8')).toBe('// someone else\'s\n');
      const after = await snapshot(copy);
      after.delete('shared/src/contracts/ledger.ts');
      expect(after).toEqual(before);
    } finally {
      await rm(theirs);
    }
  });

  it('refuses to edit the contracts index if it changed since planning, and restores everything', async () => {
    const plan = await planScaffold(request);
    const index = join(copy, 'shared/src/contracts/index.ts');
    const original = await readFile(index, 'utf8');
    await writeFile(index, `${original}// edited meanwhile\n`);
    try {
      await expect(applyPlan(copy, plan)).rejects.toThrow('shared/src/contracts/index.ts changed since the plan was made');
      expect(await readFile(index, 'utf8')).toBe(`${original}// edited meanwhile\n`);
    } finally {
      await writeFile(index, original);
    }
    expect(await snapshot(copy)).toEqual(before);
  });

  it('rolls back (exit code rolledBack) when the fleet fails its self-check after writing', async () => {
    // While the user confirms, someone else adds a service on the same route: the plan's checks passed, the fleet on disk no longer does.
    const rival = join(copy, 'services/rival');
    const result = scaffold(request, {
      dryRun: false,
      install: false,
      print: () => undefined,
      confirm: async () => {
        await mkdir(rival, { recursive: true });
        await writeFile(join(rival, 'wrangler.toml'), 'name = "rival"\nmain = "src/index.ts"\nroutes = [{ pattern = "api.example.com/ledger*", zone_name = "example.com" }]\n');
        await writeFile(join(rival, 'package.json'), '{ "name": "@edgeops/rival", "version": "1.0.0" }\n');
        return true;
      },
    });
    try {
      const error = await result.then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(ScaffoldError);
      expect((error as ScaffoldError).exit).toBe('rolledBack');
      expect((error as ScaffoldError).message).toContain('route "api.example.com/ledger*" is already declared by service');
    } finally {
      await rm(rival, { recursive: true, force: true });
    }
    expect(await snapshot(copy)).toEqual(before);
  });
});
