import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { NewUser } from '../../../shared/src/contracts/users.ts';
import { loadFleet } from '../../fleet/load.ts';
import { copyExampleFleet } from '../../fleet/testing.ts';
import { identifiersOf, nameProblem } from '../names.ts';
import { addContractExport } from '../plan.ts';
import { overlappingRoutes, planRoute } from '../routes.ts';
import { sampleFor } from '../sample.ts';
import { TEMPLATES } from '../templates/index.ts';
import { tsLiteral } from '../templates/literal.ts';

describe('names', () => {
  it('accepts names made of lowercase words joined by single - or _', () => {
    for (const name of ['billing', 'order-archive', 'a1_b2', 'x', 'v2']) expect(nameProblem(name)).toBeUndefined();
  });

  it('turns a name into the identifiers the generated code uses', () => {
    expect(identifiersOf('order-archive_v2')).toEqual({ camel: 'orderArchiveV2', pascal: 'OrderArchiveV2', constant: 'ORDER_ARCHIVE_V2', words: 'order archive v2' });
  });
});

describe('contracts index', () => {
  const index = "// header\nexport * from './notifications.ts';\nexport * from './orders.ts';\nexport * from './users.ts';\n";
  it('adds the export line in alphabetical order: first, between, last', () => {
    expect(addContractExport(index, 'billing').after).toBe("// header\nexport * from './billing.ts';\nexport * from './notifications.ts';\nexport * from './orders.ts';\nexport * from './users.ts';\n");
    expect(addContractExport(index, 'payments').after).toContain("export * from './orders.ts';\nexport * from './payments.ts';\nexport * from './users.ts';");
    expect(addContractExport(index, 'zebra').after).toMatch(/export \* from '\.\/users\.ts';\nexport \* from '\.\/zebra\.ts';\n$/);
  });

  it('appends to an index without exports', () => {
    expect(addContractExport('// nothing yet\n', 'billing')).toEqual({ after: "// nothing yet\nexport * from './billing.ts';\n", line: "export * from './billing.ts';" });
  });
});

describe('routes', async () => {
  // The example fleet alone: routes of services a user adds never change these cases.
  const example = await copyExampleFleet();
  afterAll(() => example.remove());
  const fleet = await loadFleet(example.rootDir);

  it('takes the base path and the zone from the pattern', () => {
    expect(planRoute(fleet, 'billing', 'api.example.com/v2/billing*')).toEqual({ pattern: 'api.example.com/v2/billing*', zoneName: 'example.com', host: 'api.example.com', basePath: '/v2/billing' });
    expect(planRoute(fleet, 'billing', 'billing.example.com/*')).toMatchObject({ host: 'billing.example.com', basePath: '/billing' });
  });

  it('gives a subdomain wildcard a concrete host for the test', () => {
    expect(planRoute(fleet, 'billing', '*.example.com/billing*')).toMatchObject({ host: 'www.example.com', zoneName: 'example.com' });
  });

  it('notes, without refusing, a route inside another service\'s wildcard', () => {
    const route = planRoute(fleet, 'users-admin', 'api.example.com/users-admin*');
    expect(overlappingRoutes(fleet, route)).toEqual(['api.example.com/users* (users)']);
  });
});

describe('sample bodies for a bound service\'s create operation', () => {
  it('builds a valid body from a zod schema', async () => {
    const sample = await sampleFor(NewUser);
    expect(NewUser.safeParse(sample).success).toBe(true);
  });

  it('makes its strings of a tag, so two samples of one schema differ where a value must be unique (an email)', async () => {
    expect(await sampleFor(NewUser, 'for-orders')).toEqual({ email: 'for-orders@example.com', name: 'for-orders' });
  });

  it('builds nested objects, arrays with a minimum, enums and literals', async () => {
    const schema = z.object({ kind: z.literal('a'), size: z.enum(['s', 'm']), items: z.array(z.object({ n: z.number().int().min(3) })).min(1), note: z.string().optional() });
    expect(await sampleFor(schema)).toEqual({ kind: 'a', size: 's', items: [{ n: 3 }] });
  });

  it('gives up rather than guess when a string must match a pattern it cannot build', async () => {
    expect(await sampleFor(z.object({ code: z.string().regex(/^[A-Z]{3}$/) }))).toBeUndefined();
  });
});

describe('templates', () => {
  it('writes JSON values as TypeScript literals in the fleet\'s style', () => {
    expect(tsLiteral({ email: "o'neil@example.com", 'a-b': [1, true, null] })).toBe("{ email: 'o\\'neil@example.com', 'a-b': [1, true, null] }");
  });

  it('are a registry with one entry per template name', () => {
    expect(Object.keys(TEMPLATES)).toEqual(['http', 'queue', 'cron', 'durable']);
  });
});
