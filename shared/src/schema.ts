import type { StandardSchemaV1 } from '@standard-schema/spec';
import { INVALID, compileSchema, type CompileMode } from './compiled-schema.ts';

/** Any Standard Schema validator (zod, valibot, arktype…). Contracts are written with zod. */
export type Schema<Input = unknown, Output = Input> = StandardSchemaV1<Input, Output>;

/** What a schema accepts (the caller's side). `undefined` where there is no schema. */
export type InputOf<S> = S extends StandardSchemaV1<infer I, unknown> ? I : undefined;

/** What a schema produces once validated (the handler's side). `undefined` where there is no schema. */
export type OutputOf<S> = S extends StandardSchemaV1<unknown, infer O> ? O : undefined;

/** One problem found in a value: where (a dotted path such as `items.0.quantity`) and what. */
export interface Issue {
  path: string;
  message: string;
}

export type Validation<T> = { ok: true; value: T } | { ok: false; issues: Issue[] };

function pathOf(issue: StandardSchemaV1.Issue): string {
  return (issue.path ?? [])
    .map((segment) => (typeof segment === 'object' ? String(segment.key) : String(segment)))
    .join('.');
}

/** Standard Schema issues as plain ones (dotted paths). */
export function issuesOf(issues: readonly StandardSchemaV1.Issue[]): Issue[] {
  return issues.map((issue) => ({ path: pathOf(issue), message: issue.message }));
}

/** Validates `value` against `schema`, turning the Standard Schema result into a plain one. */
export async function validate<S extends Schema>(schema: S, value: unknown): Promise<Validation<OutputOf<S>>> {
  const result = await checkerOf(schema)(value);
  if (result.issues) return { ok: false, issues: issuesOf(result.issues) };
  return { ok: true, value: result.value as OutputOf<S> };
}

/** What a schema's validator answers: a result, or a promise of one where the schema is asynchronous. */
export type Checked = StandardSchemaV1.Result<unknown> | Promise<StandardSchemaV1.Result<unknown>>;

/** A schema's validator (see {@link checkerOf}). zod's answers synchronously (unless a refinement is async): a server on a hot path need not await it. */
export type Checker = (value: unknown) => Checked;

/** Validators built so far, by schema and mode: a client made per request reuses its schemas' validators. */
const built: Record<CompileMode, WeakMap<Schema, Checker>> = { parse: new WeakMap(), check: new WeakMap() };

/**
 * The validator a provider (and a client) runs on a hot path, built once per schema and mode. A zod
 * 4 schema of the node types `compiled-schema.ts` compiles takes that fast path (`parse` where the
 * parsed value is used, `check` for replies, which are sent as given); a value it refuses, and every
 * other schema, goes through the schema's own Standard Schema validator, whose result (and issues)
 * is the one answered.
 */
export function checkerOf(schema: Schema, mode: CompileMode = 'parse'): Checker {
  let checker = built[mode].get(schema);
  if (!checker) {
    checker = build(schema, mode);
    built[mode].set(schema, checker);
  }
  return checker;
}

function build(schema: Schema, mode: CompileMode): Checker {
  const standard = schema['~standard'];
  const compiled = compileSchema(schema, mode);
  if (!compiled) return (value) => standard.validate(value);
  return (value) => {
    const parsed = compiled(value);
    return parsed === INVALID ? standard.validate(value) : { value: parsed };
  };
}
