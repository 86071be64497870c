/**
 * The compiled fast path (compiled-schema.ts) against zod itself: for generated schemas of every
 * compiled node type and check, and for generated values (most shaped like the schema, some
 * anything at all), the compiled schema accepts exactly what zod accepts and, in `parse` mode,
 * returns exactly what zod returns (defaults, coercions, trims, stripped keys, present-but-undefined
 * keys). Both of zod's paths are compared: its generated code (Node) and its jitless walk (what
 * workerd, which forbids `new Function`, runs).
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { INVALID, compileSchema } from '../src/compiled-schema.ts';
import { checkerOf } from '../src/schema.ts';

type Spec =
  | { kind: 'string'; min?: number; max?: number; regex?: boolean; email?: boolean; trim?: boolean; lower?: boolean; coerce?: boolean }
  | { kind: 'number'; int?: boolean; min?: number; max?: number; multipleOf?: number; coerce?: boolean }
  | { kind: 'boolean'; coerce?: boolean }
  | { kind: 'enum'; values: [string, ...string[]] }
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'null' }
  | { kind: 'unknown' }
  | { kind: 'object'; fields: Record<string, Spec> }
  | { kind: 'array'; element: Spec; min?: number; max?: number }
  | { kind: 'optional'; inner: Spec }
  | { kind: 'nullable'; inner: Spec }
  | { kind: 'default'; inner: Spec; value: unknown };

function toZod(spec: Spec): z.ZodType {
  switch (spec.kind) {
    case 'string': {
      // A coerced string is a ZodString at run time; its type only lacks the format methods.
      let schema = (spec.coerce ? z.coerce.string() : z.string()) as z.ZodString;
      if (spec.trim) schema = schema.trim();
      if (spec.lower) schema = schema.toLowerCase();
      if (spec.min !== undefined) schema = schema.min(spec.min);
      if (spec.max !== undefined) schema = schema.max(spec.max);
      if (spec.regex) schema = schema.regex(/^[a-m]/);
      if (spec.email) schema = schema.email();
      return schema;
    }
    case 'number': {
      let schema = spec.coerce ? z.coerce.number() : z.number();
      if (spec.int) schema = schema.int();
      if (spec.min !== undefined) schema = schema.min(spec.min);
      if (spec.max !== undefined) schema = schema.max(spec.max);
      if (spec.multipleOf !== undefined) schema = schema.multipleOf(spec.multipleOf);
      return schema;
    }
    case 'boolean':
      return spec.coerce ? z.coerce.boolean() : z.boolean();
    case 'enum':
      return z.enum(spec.values);
    case 'literal':
      return z.literal(spec.value);
    case 'null':
      return z.null();
    case 'unknown':
      return z.unknown();
    case 'object':
      return z.object(Object.fromEntries(Object.entries(spec.fields).map(([key, field]) => [key, toZod(field)])));
    case 'array': {
      let schema = z.array(toZod(spec.element));
      if (spec.min !== undefined) schema = schema.min(spec.min);
      if (spec.max !== undefined) schema = schema.max(spec.max);
      return schema;
    }
    case 'optional':
      return toZod(spec.inner).optional();
    case 'nullable':
      return toZod(spec.inner).nullable();
    case 'default':
      return (toZod(spec.inner) as z.ZodString).default(spec.value as string);
  }
}

const small = fc.integer({ min: 0, max: 6 });
const keys = fc.constantFrom('a', 'b', 'name', 'tags', 'toString', 'constructor', '__proto__');

const specs: fc.Arbitrary<Spec> = fc.letrec<{ spec: Spec; leaf: Spec }>((tie) => ({
  leaf: fc.oneof(
    fc.record(
      { kind: fc.constant('string' as const), min: small, max: fc.integer({ min: 0, max: 12 }), regex: fc.boolean(), email: fc.boolean(), trim: fc.boolean(), lower: fc.boolean(), coerce: fc.boolean() },
      { requiredKeys: ['kind'] },
    ),
    fc.record(
      { kind: fc.constant('number' as const), int: fc.boolean(), min: fc.integer({ min: -5, max: 5 }), max: fc.integer({ min: -5, max: 50 }), multipleOf: fc.constantFrom(0.5, 2, 3), coerce: fc.boolean() },
      { requiredKeys: ['kind'] },
    ),
    fc.record({ kind: fc.constant('boolean' as const), coerce: fc.boolean() }, { requiredKeys: ['kind'] }),
    fc.record({ kind: fc.constant('enum' as const), values: fc.uniqueArray(fc.constantFrom('open', 'shipped', 'x', ''), { minLength: 1 }) as fc.Arbitrary<[string, ...string[]]> }),
    fc.record({ kind: fc.constant('literal' as const), value: fc.constantFrom<string | number | boolean | null>('on', 0, 1, true, null) }),
    fc.constant({ kind: 'null' as const }),
    fc.constant({ kind: 'unknown' as const }),
  ),
  spec: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('leaf'),
    fc.record({ kind: fc.constant('object' as const), fields: fc.dictionary(keys, tie('spec'), { maxKeys: 4 }) }),
    fc.record({ kind: fc.constant('array' as const), element: tie('spec'), min: small, max: fc.integer({ min: 0, max: 4 }) }, { requiredKeys: ['kind', 'element'] }),
    fc.record({ kind: fc.constant('optional' as const), inner: tie('spec') }),
    fc.record({ kind: fc.constant('nullable' as const), inner: tie('spec') }),
    fc.record({ kind: fc.constant('default' as const), inner: tie('leaf'), value: fc.oneof(fc.string({ maxLength: 3 }), fc.integer(), fc.constant([]), fc.constant(undefined)) }),
  ),
})).spec;

/** Values shaped like `spec` (often valid, often just outside: too long, wrong case, missing keys). */
function valuesOf(spec: Spec): fc.Arbitrary<unknown> {
  const near = (arbitrary: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> => fc.oneof({ weight: 5, arbitrary }, { weight: 1, arbitrary: fc.anything({ maxDepth: 1 }) });
  switch (spec.kind) {
    case 'string':
      return near(fc.oneof(fc.string({ maxLength: 14 }), fc.constantFrom(' abc ', 'A@b.co', 'a@b.co', 'émoji😀', 'Kelvin', ''), fc.integer()));
    case 'number':
      return near(fc.oneof(fc.integer({ min: -10, max: 60 }), fc.double({ noDefaultInfinity: false }), fc.constantFrom('3', '', ' 4 ', 'x', Number.MAX_SAFE_INTEGER + 2, -0, Infinity, -Infinity, Number.NaN, '1e400')));
    case 'boolean':
      return near(fc.oneof(fc.boolean(), fc.constantFrom('false', 0, '')));
    case 'enum':
      return near(fc.constantFrom(...spec.values, 'other'));
    case 'literal':
      return near(fc.constantFrom(spec.value, 'on', 0, true));
    case 'null':
      return near(fc.constantFrom(null, undefined, 0));
    case 'unknown':
      return fc.anything({ maxDepth: 1 });
    case 'object': {
      const entries = Object.entries(spec.fields);
      const shaped = fc.record(Object.fromEntries(entries.map(([key, field]) => [key, valuesOf(field)])), { requiredKeys: [] });
      return near(fc.tuple(shaped, fc.dictionary(fc.constantFrom('extra', 'b', '__proto__'), fc.integer(), { maxKeys: 1 })).map(([value, extra]) => ({ ...extra, ...value })));
    }
    case 'array':
      return near(fc.array(valuesOf(spec.element), { maxLength: 5 }));
    case 'optional':
    case 'nullable':
    case 'default':
      return fc.oneof(valuesOf(spec.inner), fc.constantFrom(undefined, null));
  }
}

const cases = specs.chain((spec) => fc.tuple(fc.constant(spec), valuesOf(spec)));

/** What zod makes of `value`: its output, or INVALID. */
function zodOutcome(schema: z.ZodType, value: unknown): unknown {
  const result = schema.safeParse(value);
  return result.success ? result.data : INVALID;
}

/** Whether absence becomes a default under `spec` (zod's `optin: "defaulted"`, which nullable and optional pass on). */
const defaulted = (spec: Spec): boolean => spec.kind === 'default' || ((spec.kind === 'nullable' || spec.kind === 'optional') && defaulted(spec.inner));

/** The one generated shape left to zod on purpose: an optional around a default. */
function compiled(spec: Spec): boolean {
  switch (spec.kind) {
    case 'optional':
      return !defaulted(spec.inner) && compiled(spec.inner);
    case 'nullable':
    case 'default':
      return compiled(spec.inner);
    case 'object':
      // zod never reads a `__proto__` field, and neither is it compiled.
      return Object.entries(spec.fields).every(([key, field]) => key === '__proto__' || compiled(field));
    case 'array':
      return compiled(spec.element);
    default:
      return true;
  }
}

function agreesWithZod(spec: Spec, value: unknown): void {
  const schema = toZod(spec);
  const parse = compileSchema(schema, 'parse');
  const check = compileSchema(schema, 'check');
  if (!compiled(spec)) {
    expect(parse).toBeUndefined();
    return;
  }
  if (!parse || !check) throw new Error(`not compiled: ${JSON.stringify(spec)}`);
  const copy = (): unknown => (typeof value === 'symbol' || typeof value === 'bigint' ? value : structuredClone(value));
  const expected = zodOutcome(schema, copy());
  const parsed = parse(copy());
  if (!isDeepStrictEqual(parsed, expected)) {
    throw new Error(`parse: zod ${String(expected === INVALID ? 'INVALID' : JSON.stringify(expected))}, compiled ${String(parsed === INVALID ? 'INVALID' : JSON.stringify(parsed))}`);
  }
  expect(check(copy()) === INVALID).toBe(expected === INVALID);
}

describe.each([
  { path: "zod's generated code", jitless: false },
  { path: "zod's jitless walk (workerd's)", jitless: true },
])('compiled schemas against $path', ({ jitless }) => {
  afterAll(() => {
    z.config({ jitless: false });
  });

  it('accept exactly what zod accepts and return exactly what it returns', () => {
    z.config({ jitless });
    fc.assert(
      fc.property(cases, ([spec, value]) => agreesWithZod(spec, value)),
      { numRuns: 10_000 },
    );
  });
});

describe('compiled schemas', () => {
  it("agree with zod on every leaf type's edge values", () => {
    const leaves: Spec[] = [
      { kind: 'string' },
      { kind: 'string', coerce: true, trim: true, min: 1 },
      { kind: 'string', min: 2, max: 2 },
      { kind: 'string', email: true },
      { kind: 'number' },
      { kind: 'number', coerce: true },
      { kind: 'number', int: true },
      { kind: 'number', multipleOf: 0.5, min: -1, max: 1 },
      { kind: 'boolean' },
      { kind: 'boolean', coerce: true },
      { kind: 'enum', values: ['open', ''] },
      { kind: 'literal', value: null },
      { kind: 'null' },
      { kind: 'unknown' },
    ];
    const edges = [undefined, null, '', ' ', '0', '1e400', 'a@b.co', '😀😀', 'ab', 0, -0, 1, 0.5, 1.5, Number.NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER + 2, true, false, [], {}, [1], 10n, Symbol('s')];
    for (const leaf of leaves) for (const value of edges) agreesWithZod(leaf, value);
  });

  it('hand out a fresh default each time, as zod does', () => {
    const parse = compileSchema(z.object({ tags: z.array(z.string()).default([]) }), 'parse');
    const first = parse?.({}) as { tags: string[] };
    const second = parse?.({}) as { tags: string[] };
    expect(first).toEqual({ tags: [] });
    expect(first.tags).not.toBe(second.tags);
  });

  it('leave to zod what they do not compile: unions, records, transforms, refinements, strict and loose objects', () => {
    const notCompiled = [
      z.union([z.string(), z.number()]),
      z.record(z.string(), z.number()),
      z.string().transform((value) => value.length),
      z.object({ a: z.string() }).refine(() => true),
      z.string().refine((value) => value !== 'x'),
      z.strictObject({ a: z.string() }),
      z.looseObject({ a: z.string() }),
      z.object({ at: z.date() }),
      z.object({ a: z.string().default('x').optional() }),
      { '~standard': { version: 1, vendor: 'other', validate: (value: unknown) => ({ value }) } },
    ];
    for (const schema of notCompiled) expect(compileSchema(schema, 'parse')).toBeUndefined();
  });

  it("answer with zod's own issues for a value the fast path refuses", () => {
    const schema = z.object({ email: z.email(), age: z.number().int().min(18) });
    const result = checkerOf(schema)({ email: 'nope', age: 12.5 });
    expect(result).toEqual(schema['~standard'].validate({ email: 'nope', age: 12.5 }));
    expect(checkerOf(schema)({ email: 'a@b.co', age: 30, extra: true })).toEqual({ value: { email: 'a@b.co', age: 30 } });
  });

  it('validate a schema they do not compile through zod, async refinements included', async () => {
    const checker = checkerOf(z.object({ id: z.string() }).refine(async (value) => value.id !== 'taken', 'taken'));
    expect(await checker({ id: 'free' })).toEqual({ value: { id: 'free' } });
    expect((await checker({ id: 'taken' })).issues?.[0]?.message).toBe('taken');
  });
});
