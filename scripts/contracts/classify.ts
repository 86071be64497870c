import type { JsonSchema, OpenApiDocument, OpenApiOperation, OpenApiParameter, OpenApiPathItem } from '@edgeops/contracts';
import type { ContractChange } from './report.ts';
import { compareSchemas, type Direction, type RefResolver, type SchemaChange } from './schema-diff.ts';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

function resolverFor(document: OpenApiDocument): RefResolver {
  return (ref) => {
    const name = ref.startsWith('#/components/schemas/') ? ref.slice('#/components/schemas/'.length) : undefined;
    return name === undefined ? undefined : (document.components.schemas as { [name: string]: JsonSchema })[name];
  };
}

const bodySchema = (content: { 'application/json': { schema: JsonSchema } } | undefined) => content?.['application/json'].schema;

/** Parameters of one location as the object schema they came from, so they diff like a body. */
function parameterObject(parameters: OpenApiParameter[] | undefined, location: 'path' | 'query'): JsonSchema | undefined {
  const own = (parameters ?? []).filter((parameter) => parameter.in === location);
  if (own.length === 0) return undefined;
  return {
    type: 'object',
    properties: Object.fromEntries(own.map((parameter) => [parameter.name, parameter.schema])),
    required: own.filter((parameter) => parameter.required).map((parameter) => parameter.name),
  };
}

interface Side {
  document: OpenApiDocument;
  resolve: RefResolver;
}

/** Compares an optional schema: absent on one side is a change of its own. */
function compareOptional(
  before: JsonSchema | undefined,
  after: JsonSchema | undefined,
  direction: Direction,
  base: Side,
  head: Side,
  label: string,
): SchemaChange[] {
  if (!before && !after) return [];
  if (!before) {
    const required = ((after?.required ?? []) as string[]).length > 0 || label === 'request body';
    return [{ field: '', class: direction === 'sent' && required ? 'breaking' : 'non-breaking', what: `${label} added` }];
  }
  if (!after) return [{ field: '', class: 'breaking', what: `${label} removed` }];
  // Refs resolve within their own document: compare the resolved base against the resolved head.
  const resolvedBefore = typeof before.$ref === 'string' ? (base.resolve(before.$ref) ?? before) : before;
  return compareSchemas(resolvedBefore, after, direction, '', head.resolve);
}

function compareOperations(route: string, before: OpenApiOperation, after: OpenApiOperation, base: Side, head: Side): ContractChange[] {
  const changes: ContractChange[] = [];
  const add = (location: string, found: SchemaChange[]) => changes.push(...found.map((change) => ({ route, location, ...change })));

  // Path parameters: the same template with a parameter renamed still matches, but a consumer fills it by name.
  const paramsBefore = parameterObject(before.parameters, 'path');
  const paramsAfter = parameterObject(after.parameters, 'path');
  add('path', compareOptional(paramsBefore, paramsAfter, 'sent', base, head, 'path parameters'));
  add('query', compareOptional(parameterObject(before.parameters, 'query'), parameterObject(after.parameters, 'query'), 'sent', base, head, 'query'));
  add('request body', compareOptional(bodySchema(before.requestBody?.content), bodySchema(after.requestBody?.content), 'sent', base, head, 'request body'));

  for (const status of Object.keys(before.responses)) {
    const was = before.responses[status];
    const now = after.responses[status];
    if (!now) {
      changes.push({ route, location: `response ${status}`, field: '', class: 'breaking', what: 'status removed' });
      continue;
    }
    add(`response ${status} body`, compareOptional(bodySchema(was?.content), bodySchema(now.content), 'received', base, head, 'body'));
  }
  for (const status of Object.keys(after.responses)) {
    if (status in before.responses) continue;
    // A client rejects a success status its contract does not declare; an undeclared error status it reads as an error body.
    const breaking = Number(status) < 400;
    changes.push({ route, location: `response ${status}`, field: '', class: breaking ? 'breaking' : 'non-breaking', what: 'status added' });
  }
  return changes;
}

/** `/users/{id}` and `/users/{userId}` are the same route to a caller that fills the path positionally. */
const pathShape = (path: string) => path.replace(/\{[^}]+\}/g, '{}');

function comparePaths(base: Side, head: Side): ContractChange[] {
  const changes: ContractChange[] = [];
  const headByShape = new Map(Object.keys(head.document.paths).map((path) => [pathShape(path), path]));
  const matched = new Set<string>();
  for (const [path, itemBefore] of Object.entries(base.document.paths)) {
    const headPath = headByShape.get(pathShape(path));
    const itemAfter: OpenApiPathItem = headPath ? (head.document.paths[headPath] ?? {}) : {};
    if (headPath) matched.add(headPath);
    for (const method of METHODS) {
      const before = itemBefore[method];
      if (!before) continue;
      const route = `${method.toUpperCase()} ${path}`;
      const after = itemAfter[method];
      if (!after) {
        changes.push({ route, location: 'route', field: '', class: 'breaking', what: headPath ? 'method removed' : 'route removed' });
        continue;
      }
      if (headPath !== path) changes.push({ route, location: 'path', field: '', class: 'breaking', what: `path parameters renamed: ${path} → ${headPath}` });
      changes.push(...compareOperations(route, before, after, base, head));
    }
    for (const method of METHODS) {
      if (itemAfter[method] && !itemBefore[method]) {
        changes.push({ route: `${method.toUpperCase()} ${headPath}`, location: 'route', field: '', class: 'non-breaking', what: 'method added' });
      }
    }
  }
  for (const [path, item] of Object.entries(head.document.paths)) {
    if (matched.has(path)) continue;
    for (const method of METHODS) {
      if (item[method]) changes.push({ route: `${method.toUpperCase()} ${path}`, location: 'route', field: '', class: 'non-breaking', what: 'route added' });
    }
  }
  return changes;
}

function compareEvents(base: Side, head: Side): ContractChange[] {
  const changes: ContractChange[] = [];
  const before = base.document.webhooks ?? {};
  const after = head.document.webhooks ?? {};
  for (const [event, item] of Object.entries(before)) {
    const route = `event ${event}`;
    const now = after[event];
    if (!now) {
      changes.push({ route, location: 'event', field: '', class: 'breaking', what: 'event removed' });
      continue;
    }
    const found = compareOptional(bodySchema(item.post?.requestBody?.content), bodySchema(now.post?.requestBody?.content), 'received', base, head, 'event body');
    changes.push(...found.map((change) => ({ route, location: 'body', ...change })));
  }
  for (const event of Object.keys(after)) {
    if (!(event in before)) changes.push({ route: `event ${event}`, location: 'event', field: '', class: 'non-breaking', what: 'event added' });
  }
  return changes;
}

/**
 * Every API difference between two versions of a service's document, each classified from the
 * consumer's side: breaking if a consumer built against `base` can fail against `head`.
 */
export function classifyChanges(baseDocument: OpenApiDocument, headDocument: OpenApiDocument): ContractChange[] {
  const base = { document: baseDocument, resolve: resolverFor(baseDocument) };
  const head = { document: headDocument, resolve: resolverFor(headDocument) };
  return [...comparePaths(base, head), ...compareEvents(base, head)];
}
