import type { JsonSchema } from '@edgeops/contracts';
import type { ChangeClass, ContractChange } from './report.ts';

/**
 * Who writes the values a schema describes. A consumer *sends* a request (the service must keep
 * accepting what it accepted), and *receives* a response or an event (it must keep understanding
 * what it gets: its client validates every response against the contract it was built with).
 */
export type Direction = 'sent' | 'received';

/** One difference between two versions of a schema, at a field path (`items[].sku`; empty for the whole value). */
export type SchemaChange = Pick<ContractChange, 'field' | 'class' | 'what'>;

/** Looks up a `$ref` within the document the schema came from. */
export type RefResolver = (ref: string) => JsonSchema | undefined;

type Bound = 'lower' | 'upper' | 'exact';

/** Constraints by the direction in which they restrict: a larger lower bound accepts fewer values. */
const CONSTRAINTS: { [keyword: string]: Bound } = {
  minLength: 'lower',
  minimum: 'lower',
  exclusiveMinimum: 'lower',
  minItems: 'lower',
  minProperties: 'lower',
  maxLength: 'upper',
  maximum: 'upper',
  exclusiveMaximum: 'upper',
  maxItems: 'upper',
  maxProperties: 'upper',
  pattern: 'exact',
  format: 'exact',
  multipleOf: 'exact',
};

const asSchema = (value: unknown): JsonSchema => (typeof value === 'object' && value !== null ? (value as JsonSchema) : {});

/** A change that lets the schema accept more values is safe for a sent value and breaks a received one; narrower is the reverse. */
function byWidth(direction: Direction, wider: boolean): ChangeClass {
  return (direction === 'sent') === wider ? 'non-breaking' : 'breaking';
}

interface Shape {
  nullable: boolean;
  types: Set<string>;
  values?: unknown[];
  /** The non-null alternatives when the schema is a union of several shapes. */
  union?: JsonSchema[];
  node: JsonSchema;
}

function shapeOf(schema: JsonSchema, resolve: RefResolver): Shape {
  const node = typeof schema.$ref === 'string' ? (resolve(schema.$ref) ?? schema) : schema;
  const alternatives = (node.anyOf ?? node.oneOf) as JsonSchema[] | undefined;
  if (alternatives) {
    const nonNull = alternatives.filter((alternative) => alternative.type !== 'null');
    const nullable = nonNull.length < alternatives.length;
    if (nonNull.length === 1 && nonNull[0]) return { ...shapeOf(nonNull[0], resolve), nullable };
    return { nullable, types: new Set(['union']), union: nonNull, node };
  }
  const declared = node.type === undefined ? [] : Array.isArray(node.type) ? (node.type as string[]) : [node.type as string];
  const values = 'const' in node ? [node.const] : Array.isArray(node.enum) ? (node.enum as unknown[]) : undefined;
  const types = new Set(declared.filter((type) => type !== 'null'));
  const nullable = declared.includes('null') || (values?.includes(null) ?? false);
  return { nullable, types, ...(values ? { values: values.filter((value) => value !== null) } : {}), node };
}

/** `integer` is a subset of `number`. */
function covers(types: Set<string>, type: string): boolean {
  return types.has(type) || (type === 'integer' && types.has('number'));
}

const show = (value: unknown) => (value === undefined ? 'none' : JSON.stringify(value));

function compareConstraints(base: JsonSchema, head: JsonSchema, direction: Direction, field: string): SchemaChange[] {
  const changes: SchemaChange[] = [];
  for (const [keyword, bound] of Object.entries(CONSTRAINTS)) {
    const before = base[keyword];
    const after = head[keyword];
    if (JSON.stringify(before) === JSON.stringify(after)) continue;
    const what = `${keyword} ${show(before)} → ${show(after)}`;
    if (bound === 'exact') {
      // Added: fewer values accepted. Removed: more. Changed: some values lost, so narrower too.
      changes.push({ field, class: byWidth(direction, after === undefined), what });
      continue;
    }
    const widened =
      after === undefined || (before !== undefined && (bound === 'lower' ? (after as number) < (before as number) : (after as number) > (before as number)));
    changes.push({ field, class: byWidth(direction, widened), what });
  }
  return changes;
}

function compareValues(base: Shape, head: Shape, direction: Direction, field: string): SchemaChange[] {
  if (JSON.stringify(base.values) === JSON.stringify(head.values)) return [];
  const before = base.values;
  const after = head.values;
  const what = `values ${before ? before.map(show).join(' | ') : 'any'} → ${after ? after.map(show).join(' | ') : 'any'}`;
  if (direction === 'received') return [{ field, class: 'breaking', what }];
  const kept = before === undefined ? after === undefined : after === undefined || before.every((value) => after.some((other) => JSON.stringify(other) === JSON.stringify(value)));
  return [{ field, class: kept ? 'non-breaking' : 'breaking', what }];
}

function compareTypes(base: Shape, head: Shape, direction: Direction, field: string): SchemaChange[] {
  const before = [...base.types].sort().join(' | ') || 'any';
  const after = [...head.types].sort().join(' | ') || 'any';
  if (before === after) return [];
  const what = `type ${before} → ${after}`;
  // A consumer reads a field by its type: any type change of a received value breaks it.
  if (direction === 'received') return [{ field, class: 'breaking', what }];
  const accepted = head.types.size === 0 || (base.types.size > 0 && [...base.types].every((type) => covers(head.types, type)));
  return [{ field, class: accepted ? 'non-breaking' : 'breaking', what }];
}

function compareObjects(base: JsonSchema, head: JsonSchema, direction: Direction, field: string, resolve: RefResolver): SchemaChange[] {
  const changes: SchemaChange[] = [];
  const before = asSchema(base.properties);
  const after = asSchema(head.properties);
  const wasRequired = new Set((base.required ?? []) as string[]);
  const isRequired = new Set((head.required ?? []) as string[]);
  const at = (name: string) => (field ? `${field}.${name}` : name);
  for (const name of Object.keys(before)) {
    if (!(name in after)) {
      // A received field a consumer reads is gone; a sent one is ignored from now on (or refused, if the object is closed).
      changes.push({ field: at(name), class: 'breaking', what: direction === 'received' ? 'removed' : 'removed (the service no longer reads it)' });
      continue;
    }
    if (wasRequired.has(name) && !isRequired.has(name)) changes.push({ field: at(name), class: byWidth(direction, true), what: 'made optional' });
    if (!wasRequired.has(name) && isRequired.has(name)) changes.push({ field: at(name), class: byWidth(direction, false), what: 'made required' });
    changes.push(...compareSchemas(asSchema(before[name]), asSchema(after[name]), direction, at(name), resolve));
  }
  for (const name of Object.keys(after)) {
    if (name in before) continue;
    const required = isRequired.has(name);
    const breaking = direction === 'sent' && required;
    changes.push({ field: at(name), class: breaking ? 'breaking' : 'non-breaking', what: `added${required ? ' as required' : ' as optional'}` });
  }
  if (base.additionalProperties !== false && head.additionalProperties === false) {
    changes.push({ field, class: byWidth(direction, false), what: 'closed to unknown fields' });
  }
  return changes;
}

/**
 * Every difference between two versions of a schema that a consumer could notice, classified from
 * the consumer's side (see {@link Direction}). Descriptions and defaults are not differences.
 */
export function compareSchemas(base: JsonSchema, head: JsonSchema, direction: Direction, field: string, resolve: RefResolver): SchemaChange[] {
  const before = shapeOf(base, resolve);
  const after = shapeOf(head, resolve);
  const changes: SchemaChange[] = [];
  if (before.nullable !== after.nullable) {
    // A received field's type is what a consumer reads it as: null appearing or disappearing both change it.
    const changeClass = direction === 'received' ? 'breaking' : byWidth(direction, after.nullable);
    changes.push({ field, class: changeClass, what: after.nullable ? 'made nullable' : 'no longer nullable' });
  }
  if (before.union || after.union) {
    if (JSON.stringify(before.union ?? before.node) !== JSON.stringify(after.union ?? after.node)) {
      changes.push({ field, class: 'breaking', what: 'alternatives changed' });
    }
    return changes;
  }
  const typeChanges = compareTypes(before, after, direction, field);
  changes.push(...typeChanges, ...compareValues(before, after, direction, field));
  if (typeChanges.length > 0) return changes;
  changes.push(...compareConstraints(before.node, after.node, direction, field));
  if (after.types.has('object')) changes.push(...compareObjects(before.node, after.node, direction, field, resolve));
  if (after.types.has('array')) {
    changes.push(...compareSchemas(asSchema(before.node.items), asSchema(after.node.items), direction, `${field}[]`, resolve));
  }
  return changes;
}
