import { lstat, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFleet, declaredRoutes, loadFleet } from '../../fleet/index.ts';
import { copyRepo, npmRunNew, removeCopy, tscRootOptions, tscService, vitestServices, type Ran } from './support/repo-copy.ts';

/**
 * End to end, in one temporary copy of the repository shared by every template: `npm run new` as a
 * user runs it (with its real `npm install`), then the new service's generated tests in workerd with
 * the whole fleet, and `tsc` over its source and the root project.
 */
let copy: string;
beforeAll(async () => {
  copy = await copyRepo();
});
afterAll(async () => {
  if (copy) await removeCopy(copy);
});

const TIMEOUT = 240_000;

function explain(ran: Ran): string {
  return `exit ${ran.code}\n--- stdout\n${ran.stdout}\n--- stderr\n${ran.stderr}`;
}

function expectGreen(ran: Ran, tests: number): void {
  expect(ran.code, explain(ran)).toBe(0);
  expect(ran.stdout).toMatch(new RegExp(`Tests\\s+\\S*${tests} passed`));
}

describe('new: scaffolds a service that is green at once', () => {
  it(
    'http --bind users: CRUD on KV, users checked through its typed client, tests green in workerd (timed)',
    async () => {
      const started = Date.now();
      const created = await npmRunNew(copy, ['billing', '--template', 'http', '--bind', 'users']);
      expect(created.code, explain(created)).toBe(0);
      expect(created.stdout).toContain('Created service "billing"');
      expect(created.stdout).toContain('npm run plan');
      const tested = await vitestServices(copy, ['billing']);
      const seconds = (Date.now() - started) / 1000;
      expectGreen(tested, 7);
      expect(tested.stdout).toContain('accepts a userId the users service knows');
      expect(tested.stdout + tested.stderr).not.toContain('skipped');
      console.info(`new: npm run new → green test of billing in ${seconds.toFixed(1)} s (scaffold + npm install ${(created.ms / 1000).toFixed(1)} s, vitest ${(tested.ms / 1000).toFixed(1)} s)`);

      const wrangler = await readFile(join(copy, 'services/billing/wrangler.toml'), 'utf8');
      expect(wrangler).toContain('[[services]]\nbinding = "USERS"\nservice = "users"');
      expect(await readFile(join(copy, 'services/billing/src/references.ts'), 'utf8')).toContain(
        'createClient(usersContract, { binding: env.USERS }, { requestId }).getUser(',
      );
      expect(JSON.parse(await readFile(join(copy, 'services/billing/package.json'), 'utf8'))).toMatchObject({ name: '@edgeops/billing', version: '0.1.0' });
      expect(await readlink(join(copy, 'node_modules/@edgeops/billing'))).toBe('../../services/billing');
      expect(JSON.parse(await readFile(join(copy, 'package-lock.json'), 'utf8')).packages['services/billing']).toMatchObject({ name: '@edgeops/billing', version: '0.1.0' });
    },
    TIMEOUT,
  );

  it(
    'queue (bound to users) and cron (bound to users and orders): tests green in workerd',
    async () => {
      expect(await npmRunNew(copy, ['mailer', '--template', 'queue', '--bind', 'users'])).toMatchObject({ code: 0 });
      expect(await npmRunNew(copy, ['reports', '--template', 'cron', '--bind', 'users,orders'])).toMatchObject({ code: 0 });
      const tested = await vitestServices(copy, ['mailer', 'reports']);
      expectGreen(tested, 9);
      expect(tested.stdout).toContain('accepts a userId the users service knows');
      expect(tested.stdout).toContain('having called users, orders over service bindings');
    },
    TIMEOUT,
  );

  it(
    'every generated service passes its own strict tsc, and its test and contract pass under the root tsconfig',
    async () => {
      for (const name of ['billing', 'mailer', 'reports']) {
        const checked = await tscService(copy, name);
        expect(checked.code, `${name}: ${explain(checked)}`).toBe(0);
      }
      const root = await tscRootOptions(copy, ['billing', 'mailer', 'reports']);
      expect(root.code, explain(root)).toBe(0);
    },
    TIMEOUT,
  );

  it('leaves a fleet that loads and passes checkFleet, with each new route and binding declared', async () => {
    const fleet = await loadFleet(copy);
    expect(() => checkFleet(fleet)).not.toThrow();
    const byName = new Map(fleet.services.map((service) => [service.name, service]));
    expect(declaredRoutes(byName.get('billing')!.config)).toEqual([{ pattern: 'api.example.com/billing*', zoneName: 'example.com', customDomain: false, keyPath: 'routes.0' }]);
    expect(byName.get('billing')!.config.compatibility_date).toBe(fleet.root.compatibility_date);
    expect(byName.get('mailer')!.config.queues).toMatchObject({ producers: [{ binding: 'MAILER_QUEUE', queue: 'mailer-jobs' }], consumers: [{ queue: 'mailer-jobs' }] });
    expect(byName.get('reports')!.config.triggers?.crons).toEqual(['*/15 * * * *']);
    expect(byName.get('reports')!.config.services).toEqual([
      { binding: 'USERS', service: 'users' },
      { binding: 'ORDERS', service: 'orders' },
    ]);
    const index = await readFile(join(copy, 'shared/src/contracts/index.ts'), 'utf8');
    expect(index.split('\n').filter((line) => line.startsWith('export *'))).toEqual([
      "export * from './billing.ts';",
      "export * from './mailer.ts';",
      "export * from './notifications.ts';",
      "export * from './orders.ts';",
      "export * from './reports.ts';",
      "export * from './users.ts';",
    ]);
    expect((await lstat(join(copy, 'node_modules/@edgeops/reports'))).isSymbolicLink()).toBe(true);
  });
});
