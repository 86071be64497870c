import { z } from 'zod';
import { validate, type Schema } from '@edgeops/contracts';

/** The parts of a JSON Schema (as zod writes it) a sample can be built from. */
interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  format?: string;
  minLength?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  enum?: unknown[];
  const?: unknown;
  items?: JsonSchema;
  minItems?: number;
}

/** Values for string formats, given the sample's tag; anything else is built from the schema's type. */
const FORMAT_SAMPLES: Record<string, (tag: string) => string> = {
  email: (tag) => `${tag}@example.com`,
  uuid: () => crypto.randomUUID(),
  'date-time': () => new Date(0).toISOString(),
  date: () => '2026-01-01',
  uri: () => 'https://example.com/',
};

/** `tag` is the text plain strings (and emails) are made of, so two samples can differ where a value must be unique. */
type Builder = (schema: JsonSchema, tag: string) => unknown;

/** How to build a value of each JSON type; `undefined` means "cannot". */
const TYPE_SAMPLES: Record<string, Builder> = {
  string: (schema, tag) => {
    const format = schema.format ? FORMAT_SAMPLES[schema.format] : undefined;
    if (schema.format && !format) return undefined;
    return format ? format(tag) : tag.padEnd(schema.minLength ?? 0, 'x');
  },
  integer: (schema) => Math.ceil(schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1)),
  number: (schema) => schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1),
  boolean: () => true,
  array: (schema, tag) => {
    const count = schema.minItems ?? 0;
    const items = Array.from({ length: count }, () => (schema.items ? sampleOf(schema.items, tag) : undefined));
    return items.includes(undefined) ? undefined : items;
  },
  object: (schema, tag) => {
    const value: Record<string, unknown> = {};
    for (const key of schema.required ?? []) {
      const property = schema.properties?.[key];
      const sample = property ? sampleOf(property, tag) : undefined;
      if (sample === undefined) return undefined;
      value[key] = sample;
    }
    return value;
  },
};

function sampleOf(schema: JsonSchema, tag: string): unknown {
  if ('const' in schema) return schema.const;
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  const build = type ? TYPE_SAMPLES[type] : undefined;
  return build ? build(schema, tag) : undefined;
}

/**
 * A small valid value for a zod schema, or undefined when none can be built with confidence. Used
 * to write a generated test that creates something in a bound service; the value is checked
 * against the schema itself before it is used. Strings are made of `tag` (`sample`, `sample@example.com`).
 */
export async function sampleFor(schema: Schema | undefined, tag = 'sample'): Promise<unknown> {
  if (!(schema instanceof z.ZodType)) return undefined;
  let json: JsonSchema;
  try {
    json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  } catch {
    return undefined;
  }
  const sample = sampleOf(json, tag);
  return sample !== undefined && (await validate(schema, sample)).ok ? sample : undefined;
}

/** Whether a zod schema's output is an object with a required string `id`. */
export function hasStringId(schema: Schema | null | undefined): boolean {
  if (!(schema instanceof z.ZodType)) return false;
  try {
    const json = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as JsonSchema;
    return json.properties?.['id']?.type === 'string' && (json.required ?? []).includes('id');
  } catch {
    return false;
  }
}
