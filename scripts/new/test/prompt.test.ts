import { describe, expect, it } from 'vitest';
import { runCli } from '../cli.ts';
import { EXIT_CODES } from '../errors.ts';
import { memoryIO } from './support/cli-io.ts';
import { snapshot, withRepoCopy } from './support/repo-copy.ts';

/** In a terminal the CLI asks for what the command line left out; the answers here are what a user would type. */
let copy: string;
let before: Map<string, string>;
withRepoCopy((made) => ({ copy, before } = made));

describe('new: interactive prompts', () => {
  it('asks for the name, template, route and bindings, re-asks after an invalid name, then shows the plan (dry run)', async () => {
    const io = memoryIO({ interactive: true, answers: ['Bad Name', 'users', 'ledger', 'queue', '', 'users'] });
    expect(await runCli(['--dry-run'], copy, io)).toBe(EXIT_CODES.ok);
    const shown = io.out();
    expect(shown).toContain('Service name (lowercase, e.g. billing): ');
    expect(shown).toContain('"Bad Name" is not a Worker name');
    expect(shown).toContain('service "users" already exists');
    expect(shown).toMatch(/Template:\n {2}http {3}CRUD-style JSON API over KV/);
    expect(shown).toContain('Route pattern [api.example.com/ledger*]: ');
    expect(shown).toContain('Bind to services, called through their typed clients (notifications, orders, users; blank for none): ');
    expect(shown).toContain('Dry run: would create service "ledger" from the queue template.');
    expect(shown).toContain('+ services/ledger/src/references.ts');
    expect(shown).toContain('Binds:     USERS → users (usersContract.getUser)');
    expect(await snapshot(copy)).toEqual(before);
  });

  it('only asks for what is missing: with a name and a template on the command line it asks route and bindings, then for confirmation; "n" writes nothing (exit 4)', async () => {
    const io = memoryIO({ interactive: true, answers: ['api.example.com/ledger-v2*', '', 'n'] });
    expect(await runCli(['ledger', '--template', 'http'], copy, io)).toBe(EXIT_CODES.declined);
    expect(io.out()).not.toContain('Service name');
    expect(io.out()).not.toContain('Template:');
    expect(io.out()).toContain('About to create service "ledger" from the http template.');
    expect(io.out()).toContain('Route:     api.example.com/ledger-v2* (zone example.com)');
    expect(io.out()).toContain('Create it? [Y/n] ');
    expect(io.err()).toContain('nothing was written (declined)');
    expect(await snapshot(copy)).toEqual(before);
  });

  it('with --yes asks only for the missing name and takes the defaults', async () => {
    const io = memoryIO({ interactive: true, answers: ['ledger'] });
    expect(await runCli(['--yes', '--dry-run'], copy, io)).toBe(EXIT_CODES.ok);
    expect(io.out()).toContain('Service name');
    expect(io.out()).not.toContain('Route pattern');
    expect(io.out()).toContain('from the http template');
    expect(io.out()).not.toContain('Binds:');
  });

  it('gives up after three invalid names with exit 1', async () => {
    const io = memoryIO({ interactive: true, answers: ['Nope', 'shared', '9x'] });
    expect(await runCli([], copy, io)).toBe(EXIT_CODES.invalidInput);
    expect(io.err()).toContain('"9x" must start with a lowercase letter');
    expect(await snapshot(copy)).toEqual(before);
  });

  it('stops with exit 1 when the input ends before every question is answered', async () => {
    const io = memoryIO({ interactive: true, answers: ['ledger'] });
    expect(await runCli([], copy, io)).toBe(EXIT_CODES.invalidInput);
    expect(io.err()).toContain('input ended before every question was answered');
  });
});

describe('new: interactive, confirmed', () => {
  // A copy of its own: what it writes is never a leftover the other tests see.
  let written: string;
  withRepoCopy((made) => (written = made.copy));

  it('writes the service after "y" (here without npm install, which the summary then lists as the next step)', async () => {
    const before = await snapshot(written);
    const io = memoryIO({ interactive: true, answers: ['', '', 'y'] });
    expect(await runCli(['ledger', '--template', 'cron', '--no-install'], written, io)).toBe(EXIT_CODES.ok);
    expect(io.out()).toContain('Created service "ledger" (cron template, version 0.1.0)');
    expect(io.out()).toContain('npm install                      # link the new workspace');
    const after = await snapshot(written);
    const added = [...after.keys()].filter((path) => !before.has(path) && after.get(path) !== 'dir').sort();
    expect(added).toEqual([
      'services/ledger/openapi.json',
      'services/ledger/package.json',
      'services/ledger/src/env.ts',
      'services/ledger/src/index.ts',
      'services/ledger/src/store.ts',
      'services/ledger/test/ledger.test.ts',
      'services/ledger/tsconfig.json',
      'services/ledger/wrangler.toml',
      'shared/src/contracts/ledger.ts',
    ]);
    const changed = [...before.keys()].filter((path) => after.get(path) !== before.get(path));
    expect(changed).toEqual(['shared/src/contracts/index.ts']);
  });
});
