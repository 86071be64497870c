import { lstat, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFleet, declaredRoutes, loadFleet } from '../../fleet/index.ts';
import { NPM_INSTALL_ARGS } from '../install.ts';
import { copyRepo, npmRunNew, removeCopy, runIn, type Ran } from '../test/support/repo-copy.ts';
import { VARIANTS } from '../test/support/variants.ts';

/**
 * `npm run test:scaffold` (CI runs it after `npm test`): in one temporary copy of the repository,
 * `npm run new` as a user runs it, for one service of every template with and without bindings to
 * each example service, then the copy's WHOLE `npm test` (typecheck and every test, the repo's own
 * and the new services'). A new service must leave the starter green, not only its own test file.
 * Everything is scaffolded once, before the tests; no test depends on another having run.
 */
let copy: string;
/** `npm run new` of the docs' example (with its own npm install), then of every variant (one npm install after them all). */
let docsExample: Ran;
let variants: [string, Ran][];
let installed: Ran;
beforeAll(async () => {
  copy = await copyRepo();
  docsExample = await npmRunNew(copy, ['billing', '--template', 'http', '--bind', 'users']);
  variants = [];
  for (const variant of VARIANTS) {
    const bind = variant.bind.length > 0 ? ['--bind', variant.bind.join(',')] : [];
    variants.push([variant.name, await npmRunNew(copy, [variant.name, '--template', variant.template, ...bind, '--no-install'])]);
  }
  installed = await runIn(copy, 'npm', NPM_INSTALL_ARGS);
}, 600_000);
afterAll(async () => {
  if (copy) await removeCopy(copy);
});

const explain = (ran: Ran) => `exit ${ran.code}\n--- stdout\n${ran.stdout.slice(-20_000)}\n--- stderr\n${ran.stderr.slice(-20_000)}`;

describe('new: every template leaves the starter green', () => {
  it('npm run new -- billing --template http --bind users (the docs\' example), with its npm install: files, workspace link and lockfile', async () => {
    expect(docsExample.code, explain(docsExample)).toBe(0);
    expect(docsExample.stdout).toContain('Created service "billing"');
    expect(docsExample.stdout).toContain('npm run plan');
    const wrangler = await readFile(join(copy, 'services/billing/wrangler.toml'), 'utf8');
    expect(wrangler).toContain('[[services]]\nbinding = "USERS"\nservice = "users"');
    expect(await readFile(join(copy, 'services/billing/src/references.ts'), 'utf8')).toContain('createClient(usersContract, { binding: env.USERS }, { requestId }).getUser(');
    expect(JSON.parse(await readFile(join(copy, 'services/billing/package.json'), 'utf8'))).toMatchObject({ name: '@edgeops/billing', version: '0.1.0' });
    expect(await readlink(join(copy, 'node_modules/@edgeops/billing'))).toBe('../../services/billing');
    expect(JSON.parse(await readFile(join(copy, 'package-lock.json'), 'utf8')).packages['services/billing']).toMatchObject({ name: '@edgeops/billing', version: '0.1.0' });
  });

  it('every template, without bindings and bound to each example service it can call, then one npm install that links them all', async () => {
    for (const [name, created] of variants) expect(created.code, `${name}: ${explain(created)}`).toBe(0);
    expect(installed.code, explain(installed)).toBe(0);
    for (const variant of VARIANTS) expect((await lstat(join(copy, `node_modules/@edgeops/${variant.name}`))).isSymbolicLink()).toBe(true);
  });

  it('leaves a fleet that loads and passes checkFleet, with each new route, binding and export declared', async () => {
    const fleet = await loadFleet(copy);
    expect(() => checkFleet(fleet)).not.toThrow();
    const byName = new Map(fleet.services.map((service) => [service.name, service]));
    expect(declaredRoutes(byName.get('billing')!.config)).toEqual([{ pattern: 'api.example.com/billing*', zoneName: 'example.com', customDomain: false, keyPath: 'routes.0' }]);
    expect(byName.get('billing')!.config.compatibility_date).toBe(fleet.root.compatibility_date);
    expect(byName.get('bound-queue')!.config.queues).toMatchObject({ producers: [{ binding: 'BOUND_QUEUE_QUEUE', queue: 'bound-queue-jobs' }], consumers: [{ queue: 'bound-queue-jobs' }] });
    expect(byName.get('plain-cron')!.config.triggers?.crons).toEqual(['*/15 * * * *']);
    expect(byName.get('bound-cron')!.config.services).toEqual([
      { binding: 'USERS', service: 'users' },
      { binding: 'ORDERS', service: 'orders' },
      { binding: 'NOTIFICATIONS', service: 'notifications' },
    ]);
    const index = await readFile(join(copy, 'shared/src/contracts/index.ts'), 'utf8');
    const added = ['billing', ...VARIANTS.map((variant) => variant.name)];
    expect(index.split('\n').filter((line) => line.startsWith('export *'))).toEqual(
      [...added, 'notifications', 'orders', 'users'].sort().map((name) => `export * from './${name}.ts';`),
    );
  });

  it(
    "the copy's whole npm test is green: typecheck, the repository's own tests and every new service's tests",
    async () => {
      const tested = await runIn(copy, 'npm', ['test', '--', '--reporter=verbose']);
      console.info(`new: the copy's npm test with ${VARIANTS.length + 1} new services took ${(tested.ms / 1000).toFixed(0)} s`);
      expect(tested.code, explain(tested)).toBe(0);
      const output = tested.stdout + tested.stderr;
      expect(output).not.toMatch(/\b\d+ (skipped|todo)\b/);
      for (const name of ['billing', ...VARIANTS.map((variant) => variant.name)]) expect(output).toContain(`services/${name}/test/${name}.test.ts`);
      expect(output).toContain('accepts a userId the users service knows');
      expect(output).toContain('accepts a orderId the orders service knows');
      expect(output).toContain('records each run, and what each bound service answered, when its cron trigger fires');
    },
    30 * 60_000,
  );
});
