import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { identifiersOf } from '../names.ts';
import { planScaffold } from '../plan.ts';
import { scaffold } from '../scaffold.ts';
import { TEMPLATES } from '../templates/index.ts';
import { fillSlots, placeholderContext, renderTemplate } from '../templates/render.ts';
import { tscRootOptions, tscWorkers, withRepoCopy, type Ran } from './support/repo-copy.ts';
import { VARIANTS } from './support/variants.ts';

/**
 * The fast check of every template, inside `npm test`: each variant written into one copy of the
 * repository (no npm install), then `tsc` over what it wrote, as `npm test`'s typecheck would. The
 * generated tests themselves, and the copy's whole `npm test`, run in `npm run test:scaffold`.
 */
let copy: string;
withRepoCopy(async (made) => {
  copy = made.copy;
  for (const variant of VARIANTS) {
    await scaffold({ rootDir: copy, ...variant }, { dryRun: false, install: false, print: () => undefined });
  }
});

const names = VARIANTS.map((variant) => variant.name);
const explain = (ran: Ran) => `exit ${ran.code}\n${ran.stdout}${ran.stderr}`;

describe('templates: every variant passes tsc as written', () => {
  it('Worker source of every variant, against workers-types (a cron service without bindings too: its checks are typed)', async () => {
    const checked = await tscWorkers(copy, names);
    expect(checked.code, explain(checked)).toBe(0);
  }, 120_000);

  it('tests and contracts of every variant, under the root tsconfig', async () => {
    const checked = await tscRootOptions(copy, names);
    expect(checked.code, explain(checked)).toBe(0);
  }, 120_000);

  it('contracts import zod as a namespace, as every contract in shared/src/contracts does', async () => {
    for (const name of names) {
      const contract = await readFile(join(copy, `shared/src/contracts/${name}.ts`), 'utf8');
      expect(contract, name).toMatch(/^import \* as z from 'zod';$/m);
      expect(contract, name).not.toMatch(/import \{[^}]*\bz\b[^}]*\} from 'zod'/);
    }
  });

  it('the cron template records bound services\' answers through checkDependencies, and nothing without bindings', async () => {
    const plain = await readFile(join(copy, 'services/plain-cron/src/index.ts'), 'utf8');
    expect(plain).toContain('const checks: PlainCronCheck[] = [];');
    expect(plain).not.toContain('checkDependencies');
    const bound = await readFile(join(copy, 'services/bound-cron/src/index.ts'), 'utf8');
    expect(bound).toContain("import { checkDependencies } from './dependencies.ts';");
    expect(bound).toContain('    checks.push(...(await checkDependencies(env, crypto.randomUUID())));\n');
  });
});

describe('templates: copies of real code', () => {
  it('the http template bound to users, for a fixed name, file by file', async () => {
    const plan = await planScaffold({ rootDir: copy, name: 'billing', template: 'http', bind: ['users'] });
    expect(Object.fromEntries(plan.files.map((file) => [file.path, file.contents]))).toMatchSnapshot();
  });

  it('a generated test creates what the bound service needs first: an order needs a user', async () => {
    const plan = await planScaffold({ rootDir: copy, name: 'billing', template: 'http', bind: ['orders'] });
    const test = plan.files.find((file) => file.path === 'services/billing/test/billing.test.ts')!.contents;
    expect(test).toContain("import { billingContract, usersContract, ordersContract } from '@edgeops/contracts/contracts';");
    expect(test).toMatch(/const user = await over\(usersContract\)\.createUser\(\{ body: \{ email: 'for-orders@example\.com', name: 'for-orders' \} \}\);/);
    expect(test).toContain('userId: user.body.id } });');
  });

  it('replaces names as whole words only, and leaves none of the placeholder behind', async () => {
    for (const [kind, template] of Object.entries(TEMPLATES)) {
      const plan = await planScaffold({ rootDir: copy, name: 'x-ray', template: kind as keyof typeof TEMPLATES, bind: [] });
      for (const file of plan.files) {
        expect(file.path).not.toContain(template.placeholder);
        expect(file.contents, file.path).not.toMatch(new RegExp(template.placeholder.replace('-', '[-_ ]?'), 'i'));
      }
      expect(plan.files.map((file) => file.path)).toContain('services/x-ray/test/x-ray.test.ts');
    }
  });

  it('fills @bind slots at their indentation, removes empty ones, and refuses an unknown slot', () => {
    const used = new Set<string>();
    const text = 'a {\n  // @bind fields\n}\nf(x /* @bind more */);\n# @bind none\n';
    expect(fillSlots('t.ts', text, { fields: 'one;\ntwo;', more: ', y', none: '' }, used)).toBe('a {\n  one;\n  two;\n}\nf(x, y);\n');
    expect([...used].sort()).toEqual(['fields', 'more', 'none']);
    expect(() => fillSlots('t.ts', '// @bind nope\n', {}, new Set())).toThrow('template file t.ts: unknown slot "@bind nope"');
  });

  it('refuses a template whose names miss an identifier its files use', async () => {
    const partial = { ...TEMPLATES.http, names: () => ({}) };
    const context = { ...placeholderContext(partial), name: 'ledger', ids: identifiersOf('ledger'), compatibilityDate: '2026-04-01', contractsVersion: '0.1.0' };
    await expect(renderTemplate(partial, context)).rejects.toThrow(/still says "http-sample"/);
  });
});
