import { wireSchema, type Contract, type JsonSchema, type Route } from '@edgeops/contracts';
import fc from 'fast-check';

/** One request the fuzzer sends, as plain data so a failing case prints whole. */
export interface FuzzRequest {
  operation: string;
  method: string;
  /** Path and query, already encoded (it may hold deliberately broken percent-escapes). */
  target: string;
  headers: Record<string, string>;
  body?: string;
}

/** Strings that break careless code: lone surrogates, control characters, traversal, prototype keys, numbers that are not. */
const HOSTILE_STRINGS = ['', ' ', '\u0000', '\ud800', 'a\udfffb', '../../etc/passwd', '..\\..\\users', '%', '%zz', '__proto__', 'constructor', 'null', '-1', '1e308', 'NaN', 'Infinity', '0x10', 'a'.repeat(5000)];

const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);

/** Numbers on and past every bound a schema may draw, and a few no integer field expects. */
const edgeNumbers = (minimum: number, maximum: number): number[] => [
  minimum,
  maximum,
  minimum - 1,
  maximum + 1,
  0,
  -1,
  0.5,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
  Number.MAX_VALUE,
];

const numberField = (schema: JsonSchema, integer: boolean): fc.Arbitrary<number> => {
  const minimum = typeof schema.minimum === 'number' ? schema.minimum : -Number.MAX_SAFE_INTEGER;
  const maximum = typeof schema.maximum === 'number' ? schema.maximum : Number.MAX_SAFE_INTEGER;
  const inRange = integer ? fc.integer({ min: Math.max(minimum, Number.MIN_SAFE_INTEGER), max: Math.min(maximum, Number.MAX_SAFE_INTEGER) }) : fc.double({ min: minimum, max: maximum, noNaN: true });
  // Near the top of the range: where sums and products of accepted values overflow.
  const nearMaximum = integer ? fc.integer({ min: Math.floor(Math.min(maximum, Number.MAX_SAFE_INTEGER) / 2), max: Math.min(maximum, Number.MAX_SAFE_INTEGER) }) : fc.double({ min: maximum / 2, max: maximum, noNaN: true });
  return fc.oneof({ arbitrary: inRange, weight: 4 }, { arbitrary: nearMaximum, weight: 2 }, { arbitrary: fc.constantFrom(...edgeNumbers(minimum, maximum)), weight: 1 });
};

const stringField = (schema: JsonSchema, known: readonly string[]): fc.Arbitrary<string> => {
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const maxLength = typeof schema.maxLength === 'number' ? Math.min(schema.maxLength, 80) : 80;
  const typed =
    schema.format === 'email'
      ? fc.emailAddress()
      : schema.format === 'date-time'
        ? fc.date({ noInvalidDate: true }).map((date) => date.toISOString())
        : fc.string({ minLength, maxLength: Math.max(minLength, maxLength) });
  return fc.oneof({ arbitrary: typed, weight: 6 }, { arbitrary: hostileString, weight: 1 }, ...(known.length > 0 ? [{ arbitrary: fc.constantFrom(...known), weight: 4 }] : []));
};

/**
 * Values for a JSON Schema: mostly of the declared shape (on and past its bounds), now and then
 * any JSON at all. `known` holds strings worth reusing, such as ids of things that exist, so
 * requests reach the code behind the validation.
 */
export function valueFor(schema: JsonSchema, known: readonly string[]): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: typedValue(schema, known), weight: 30 }, { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 });
}

function typedValue(schema: JsonSchema, known: readonly string[]): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  switch (schema.type) {
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
      const required = (schema.required ?? []) as string[];
      const fields = Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, valueFor(property, known)]));
      return fc.record(fields, { requiredKeys: required });
    }
    case 'array': {
      const items = (schema.items ?? {}) as JsonSchema;
      const minLength = typeof schema.minItems === 'number' ? schema.minItems : 0;
      const maxLength = typeof schema.maxItems === 'number' ? Math.min(schema.maxItems, 5) : 5;
      return fc.array(valueFor(items, known), { minLength, maxLength: Math.max(minLength, maxLength) });
    }
    case 'integer':
      return numberField(schema, true);
    case 'number':
      return numberField(schema, false);
    case 'string':
      return stringField(schema, known);
    case 'boolean':
      return fc.boolean();
    default:
      return fc.jsonValue({ maxDepth: 3 });
  }
}

/** A path segment: percent-encoded when it can be, otherwise broken escapes a client could still send. */
function pathSegment(value: unknown): string {
  try {
    return encodeURIComponent(String(value));
  } catch {
    // A lone surrogate has no UTF-8: send the bytes a careless encoder would (CESU-8).
    return '%ED%A0%80';
  }
}

const RAW_SEGMENTS = ['%', '%zz', '%00', '..', '%2e%2e', '%2F', '%ED%A0%80', '%FF'];

const paramsFor = (route: Route, known: readonly string[]): fc.Arbitrary<Record<string, string>> => {
  const names = [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1] as string);
  const properties = route.params ? ((wireSchema(route.params, 'params').properties ?? {}) as Record<string, JsonSchema>) : {};
  return fc.record(
    Object.fromEntries(
      names.map((name) => [name, fc.oneof({ arbitrary: valueFor(properties[name] ?? { type: 'string' }, known).map(pathSegment), weight: 4 }, { arbitrary: fc.constantFrom(...RAW_SEGMENTS), weight: 1 })]),
    ),
  );
};

const queryFor = (route: Route, known: readonly string[]): fc.Arbitrary<string> => {
  const schema: JsonSchema = route.query ? wireSchema(route.query, 'query') : { type: 'object', properties: {} };
  const declared = typedValue({ ...schema, required: [] }, known) as fc.Arbitrary<Record<string, unknown>>;
  const extra = fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'limit', 'x'), hostileString, { maxKeys: 2 });
  return fc.tuple(declared, extra).map(([fields, more]) => {
    const search = new URLSearchParams();
    for (const [name, value] of [...Object.entries(typeof fields === 'object' && fields !== null ? fields : {}), ...Object.entries(more)]) {
      search.append(name, typeof value === 'string' ? value : JSON.stringify(value) ?? '');
    }
    const text = search.toString();
    return text === '' ? '' : `?${text}`;
  });
};

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'application/merge-patch+json'];
const OTHER_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', ''];
const RAW_BODIES = ['', '{', '[]', 'null', '{"__proto__":{"polluted":true}}', '\u0000', 'not json', '{"a":1}'.repeat(20_000)];

const bodyFor = (route: Route, known: readonly string[]): fc.Arbitrary<{ contentType: string; body: string } | undefined> => {
  const value = route.body ? valueFor(wireSchema(route.body, 'body'), known) : fc.jsonValue({ maxDepth: 2 });
  const json = fc.record({ contentType: fc.constantFrom(...JSON_TYPES), body: value.map((item) => JSON.stringify(item) ?? 'null') });
  const raw = fc.record({ contentType: fc.constantFrom(...JSON_TYPES, ...OTHER_TYPES), body: fc.constantFrom(...RAW_BODIES) });
  return route.body
    ? fc.oneof({ arbitrary: json, weight: 8 }, { arbitrary: raw, weight: 2 }, { arbitrary: fc.constant(undefined), weight: 1 })
    : fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, { arbitrary: json, weight: 1 }, { arbitrary: raw, weight: 1 });
};

const OTHER_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** Requests for one route of a contract: its own method mostly, with hostile params, query, headers and body. */
export function hostileRequest(operation: string, route: Route, known: readonly string[]): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      method: fc.oneof({ arbitrary: fc.constant(route.method), weight: 8 }, { arbitrary: fc.constantFrom(...OTHER_METHODS), weight: 1 }),
      params: paramsFor(route, known),
      query: queryFor(route, known),
      body: bodyFor(route, known),
      requestId: fc.option(fc.string({ unit: 'grapheme-ascii', maxLength: 100 }), { nil: undefined }),
    })
    .map(({ method, params, query, body, requestId }) => {
      const path = route.path.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => params[name] ?? '');
      const headers: Record<string, string> = {};
      if (requestId !== undefined) headers['x-request-id'] = requestId;
      const sendsBody = body !== undefined && method !== 'GET' && method !== 'HEAD';
      if (sendsBody && body.contentType !== '') headers['content-type'] = body.contentType;
      return { operation, method, target: `${path}${query}`, headers, ...(sendsBody ? { body: body.body } : {}) };
    });
}

/** Requests for every route of a contract. */
export function hostileRequests(contract: Contract, known: readonly string[]): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(...Object.entries(contract.routes).map(([operation, route]) => hostileRequest(operation, route, known)));
}
