/**
 * A zod 4 schema compiled, once, into plain closures: the fast path of a provider's validation.
 *
 * zod 4 speeds parsing up by generating code with `new Function`, which workerd forbids, so in a
 * Worker every parse walks zod's general path (a payload object and an issues array per node, a
 * result object per field). The closures here do the same walk with nothing but the value: a
 * schema built only from the node types below is compiled; anything else (unions, records,
 * transforms, pipes, refinements, async checks…) is not, and its validator stays zod's own.
 *
 * The closures decide only whether a value is valid and what zod would make of it. A value they
 * refuse is handed to zod, whose issues are the ones answered: the fast path never invents an error
 * message. Checks (min, max, int, regex, email, trim…) run through zod's own check functions, so
 * their rules are zod's, not a copy; only the node types' few lines of structure are mirrored here
 * (zod's `core/schemas.js`: `$ZodString`, `$ZodNumber`, `$ZodObject` with `handlePropertyResult`,
 * `$ZodArray`, `$ZodOptional`, `$ZodDefault`…). `compiled-schema.test.ts` checks, with generated
 * schemas and values, that both always agree.
 */

/** What a compiled schema answers for an invalid value. */
export const INVALID: unique symbol = Symbol('invalid');

/** A compiled schema: the parsed value (defaults applied, unknown keys stripped, coercions made), or {@link INVALID}. */
export type CompiledSchema = (value: unknown) => unknown;

/**
 * `parse` builds the value zod would return; `check` only decides validity (for replies, whose
 * value is sent as the handler gave it), without allocating the parsed copy.
 */
export type CompileMode = 'parse' | 'check';

/** The part of a zod 4 schema (its documented `_zod` internals) read here. */
interface ZodNode {
  _zod: {
    def: ZodDef;
    traits: Set<string>;
    optin?: 'optional' | 'defaulted';
    optout?: 'optional';
    values?: Set<unknown>;
    version?: { major: number };
    check?: (payload: CheckPayload) => unknown;
  };
}

interface ZodDef {
  type: string;
  checks?: ZodNode[];
  coerce?: boolean;
  shape?: Record<string, ZodNode>;
  catchall?: ZodNode;
  element?: ZodNode;
  innerType?: ZodNode;
  readonly defaultValue?: unknown;
  check?: string;
  when?: (payload: CheckPayload) => boolean;
}

interface CheckPayload {
  value: unknown;
  issues: unknown[];
}

/** Compiles one node given the compiler for its children; undefined when the node cannot be compiled. */
type NodeCompiler = (node: ZodNode, mode: CompileMode, compile: (child: ZodNode) => CompiledSchema | undefined) => CompiledSchema | undefined;

function isZod4(schema: unknown): schema is ZodNode {
  const internals = (schema as Partial<ZodNode> | null)?._zod;
  return typeof internals === 'object' && internals !== null && internals.version?.major === 4 && internals.traits instanceof Set;
}

/** Kinds of check whose rule is a pure function of the value (zod's `core/checks.js`); `custom` (refine) runs user code and is not compiled. */
const PURE_CHECKS = new Set([
  'less_than',
  'greater_than',
  'multiple_of',
  'number_format',
  'bigint_format',
  'max_length',
  'min_length',
  'length_equals',
  'max_size',
  'min_size',
  'size_equals',
  'string_format',
  'overwrite',
]);

/**
 * The node's checks, run as zod's `runChecks` runs them on a valid value: each in order, skipped
 * when its `when` says so, an `overwrite` (trim, toLowerCase…) replacing the value. Undefined when a
 * check is not pure, or when there are none.
 */
function checksOf(node: ZodNode): ((value: unknown) => unknown) | undefined | null {
  const checks = node._zod.traits.has('$ZodCheck') ? [node, ...(node._zod.def.checks ?? [])] : (node._zod.def.checks ?? []);
  if (checks.length === 0) return undefined;
  const runs: { check: (payload: CheckPayload) => unknown; when: ((payload: CheckPayload) => boolean) | undefined }[] = [];
  for (const check of checks) {
    const kind = check._zod.def.check;
    const run = check._zod.check;
    if (kind === undefined || !PURE_CHECKS.has(kind) || typeof run !== 'function') return null;
    runs.push({ check: run, when: check._zod.def.when });
  }
  // One payload per node, reused: a pure check keeps no reference to it, and runs synchronously.
  const payload: CheckPayload = { value: undefined, issues: [] };
  return (value) => {
    payload.value = value;
    payload.issues.length = 0;
    for (const { check, when } of runs) {
      if (when && !when(payload)) continue;
      if (check(payload) instanceof Promise) return INVALID; // Not expected of a pure check; zod decides.
      if (payload.issues.length > 0) return INVALID;
    }
    const checked = payload.value;
    payload.value = undefined;
    return checked;
  };
}

/** Wraps a compiled node with the node's own checks, run on its result. */
function withChecks(node: ZodNode, compiled: CompiledSchema | undefined): CompiledSchema | undefined {
  const checks = checksOf(node);
  if (checks === null || compiled === undefined) return undefined;
  if (!checks) return compiled;
  return (value) => {
    const result = compiled(value);
    return result === INVALID ? INVALID : checks(result);
  };
}

/** A primitive node: coercion as zod does it, then a type test (its checks come after, in `withChecks`). */
function primitive(accepts: (value: unknown) => boolean, coerce: (value: unknown) => unknown): NodeCompiler {
  return (node) => {
    const coerced = node._zod.def.coerce === true;
    return withChecks(node, (input) => {
      let value = input;
      if (coerced) {
        try {
          value = coerce(value);
        } catch {
          // zod keeps the value as it was when coercion throws (a Symbol to Number, say).
        }
      }
      return accepts(value) ? value : INVALID;
    });
  };
}

/** A node whose valid values are a fixed set (enum, literal, null). */
const fixedValues: NodeCompiler = (node) => {
  const values = node._zod.values;
  return values && withChecks(node, (value) => (values.has(value) ? value : INVALID));
};

/** Accepts anything (any, unknown). */
const anything: NodeCompiler = (node) => withChecks(node, (value) => value);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface Field {
  key: string;
  compiled: CompiledSchema;
  optin: 'optional' | 'defaulted' | undefined;
  optionalOut: boolean;
}

/** An object that strips unknown keys (zod's default; `strict`, `loose` and `catchall` are not compiled). */
const object: NodeCompiler = (node, mode, compile) => {
  const { shape, catchall } = node._zod.def;
  if (!shape || catchall !== undefined || Object.getOwnPropertySymbols(shape).length > 0) return undefined;
  const fields: Field[] = [];
  for (const key of Object.keys(shape)) {
    if (key === '__proto__') continue; // zod skips it too.
    const child = shape[key] as ZodNode;
    const compiled = compile(child);
    if (!compiled) return undefined;
    fields.push({ key, compiled, optin: child._zod.optin, optionalOut: child._zod.optout === 'optional' });
  }
  const parse: CompiledSchema = (input) => {
    if (!isObject(input)) return INVALID;
    const output: Record<string, unknown> | undefined = mode === 'parse' ? {} : undefined;
    // zod's `handlePropertyResult`, field by field: what a field's result does to the object, given
    // whether its key was present (`in`, as zod tests it) and the field's optin/optout.
    for (const field of fields) {
      const present = field.key in input;
      if (!present && field.optionalOut && field.optin === 'optional') continue;
      const result = field.compiled(input[field.key]);
      if (result === INVALID) {
        if (field.optin !== undefined && field.optionalOut && !present) continue;
        return INVALID;
      }
      if (!present && field.optin === undefined) return INVALID;
      if (output && (result !== undefined || present || (field.optin === 'defaulted' && !field.optionalOut))) output[field.key] = result;
    }
    return output ?? input;
  };
  return withChecks(node, parse);
};

/** The smallest `max_length` of an array's checks: zod refuses a longer array before parsing its elements (its `capSize`), and so does this. */
function lengthCap(node: ZodNode): number {
  let cap = Infinity;
  for (const check of node._zod.def.checks ?? []) {
    const { check: kind, maximum } = check._zod.def as ZodDef & { maximum?: number };
    if (kind === 'max_length' && typeof maximum === 'number') cap = Math.min(cap, maximum);
  }
  return cap;
}

const array: NodeCompiler = (node, mode, compile) => {
  const element = node._zod.def.element && compile(node._zod.def.element);
  if (!element) return undefined;
  const cap = lengthCap(node);
  const parse: CompiledSchema = (input) => {
    if (!Array.isArray(input) || input.length > cap) return INVALID;
    const output: unknown[] | undefined = mode === 'parse' ? new Array(input.length) : undefined;
    for (let index = 0; index < input.length; index++) {
      const result = element(input[index]);
      if (result === INVALID) return INVALID;
      if (output) output[index] = result;
    }
    return output ?? input;
  };
  return withChecks(node, parse);
};

const optional: NodeCompiler = (node, _mode, compile) => {
  const inner = node._zod.def.innerType;
  // An optional around a default substitutes for absence in zod's own way: not compiled.
  if (!inner || inner._zod.optin === 'defaulted') return undefined;
  const compiled = compile(inner);
  return withChecks(node, compiled && ((value) => (value === undefined ? undefined : compiled(value))));
};

const nullable: NodeCompiler = (node, _mode, compile) => {
  const compiled = node._zod.def.innerType && compile(node._zod.def.innerType);
  return withChecks(node, compiled && ((value) => (value === null ? null : compiled(value))));
};

/** `.default(x)`: `def.defaultValue` is a getter that hands out a fresh copy (or calls the function) each time, as zod reads it. */
const withDefault: NodeCompiler = (node, _mode, compile) => {
  const def = node._zod.def;
  const compiled = def.innerType && compile(def.innerType);
  if (!compiled) return undefined;
  return withChecks(node, (value) => {
    if (value === undefined) return def.defaultValue;
    const result = compiled(value);
    return result === undefined ? def.defaultValue : result;
  });
};

/** `.prefault(x)`: the default goes through the inner schema. */
const withPrefault: NodeCompiler = (node, _mode, compile) => {
  const def = node._zod.def;
  const compiled = def.innerType && compile(def.innerType);
  return withChecks(node, compiled && ((value) => compiled(value === undefined ? def.defaultValue : value)));
};

const isNumber = (value: unknown): boolean => typeof value === 'number' && !Number.isNaN(value) && Number.isFinite(value);

/** The node types compiled, by zod's `def.type`. */
const NODE_COMPILERS: Record<string, NodeCompiler> = {
  string: primitive((value) => typeof value === 'string', String),
  number: primitive(isNumber, Number),
  boolean: primitive((value) => typeof value === 'boolean', Boolean),
  enum: fixedValues,
  literal: fixedValues,
  null: fixedValues,
  any: anything,
  unknown: anything,
  object,
  array,
  optional,
  nullable,
  default: withDefault,
  prefault: withPrefault,
};

/**
 * Compiles a zod 4 schema for `mode`, or answers undefined when the schema is not zod 4 or holds a
 * node or check that is not compiled (its validator then stays zod's).
 */
export function compileSchema(schema: unknown, mode: CompileMode): CompiledSchema | undefined {
  if (!isZod4(schema)) return undefined;
  const compile = (node: ZodNode): CompiledSchema | undefined => {
    if (!isZod4(node)) return undefined;
    const compiler = NODE_COMPILERS[node._zod.def.type];
    return compiler?.(node, mode, compile);
  };
  return compile(schema);
}
