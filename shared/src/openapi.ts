import type { StandardJSONSchemaV1 } from '@standard-schema/spec';
import type { Contract } from './contract.ts';
import { ErrorBody, IMPLICIT_ERROR_STATUSES } from './errors.ts';
import type { Route } from './route.ts';
import type { Schema } from './schema.ts';

/** A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) as plain data. */
export type JsonSchema = { [key: string]: unknown };

/** Where every implemented contract serves its own OpenAPI document. */
export const OPENAPI_PATH = '/openapi.json';

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: JsonSchema;
}

export interface OpenApiResponse {
  description: string;
  content?: { 'application/json': { schema: JsonSchema } };
}

export interface OpenApiOperation {
  operationId: string;
  summary?: string;
  parameters?: OpenApiParameter[];
  requestBody?: { required: true; content: { 'application/json': { schema: JsonSchema } } };
  responses: { [status: string]: OpenApiResponse };
}

export type OpenApiPathItem = { [method: string]: OpenApiOperation };

/** The OpenAPI 3.1 document of one service's contract: its routes, and its queue events as webhooks. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description?: string };
  paths: { [path: string]: OpenApiPathItem };
  /** Messages the service publishes to queues: the consumer receives each one as a POST's body. */
  webhooks?: { [event: string]: OpenApiPathItem };
  /** The error body every route may answer with, written once and referenced. */
  components: { schemas: { ErrorBody: JsonSchema } };
}

/** How a document refers to the common error body. */
export const ERROR_BODY_REF = '#/components/schemas/ErrorBody';

export interface DocumentOptions {
  /** `info.version`: the service's `package.json` version. */
  version: string;
}

function hasJsonSchema(schema: Schema): schema is Schema & StandardJSONSchemaV1 {
  const props = schema['~standard'] as Partial<StandardJSONSchemaV1.Props>;
  return typeof props.jsonSchema?.input === 'function';
}

/**
 * What a schema accepts, as JSON Schema: the wire format either side may send (input side, so a
 * field with a default is optional). Needs a validator implementing Standard JSON Schema (zod 4 does).
 */
export function wireSchema(schema: Schema, where: string): JsonSchema {
  if (!hasJsonSchema(schema)) {
    throw new Error(`${where}: the schema (${schema['~standard'].vendor}) cannot describe itself as JSON Schema; write contracts with zod 4 or another Standard JSON Schema validator`);
  }
  const { $schema: _dialect, ...rest } = schema['~standard'].jsonSchema.input({ target: 'draft-2020-12' });
  return rest;
}

/** `/users/:id` (itty-router) → `/users/{id}` (OpenAPI). */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function parameters(schema: Schema | undefined, location: 'path' | 'query', where: string): OpenApiParameter[] {
  if (!schema) return [];
  const object = wireSchema(schema, where);
  const properties = (object.properties ?? {}) as { [name: string]: JsonSchema };
  const required = new Set((object.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({ name, in: location, required: location === 'path' || required.has(name), schema: property }));
}

function jsonContent(schema: Schema, where: string): { 'application/json': { schema: JsonSchema } } {
  return { 'application/json': { schema: schema === ErrorBody ? { $ref: ERROR_BODY_REF } : wireSchema(schema, where) } };
}

function operation(operationId: string, route: Route, service: string): OpenApiOperation {
  const where = `${service}.${operationId}`;
  const responses: { [status: string]: OpenApiResponse } = {};
  for (const [status, body] of Object.entries(route.responses)) {
    responses[status] = body === null ? { description: `${status}, no body` } : { description: `${status}`, content: jsonContent(body, `${where} response ${status}`) };
  }
  // Every route may also answer these with the common error body (see errors.ts).
  for (const status of IMPLICIT_ERROR_STATUSES) {
    responses[String(status)] ??= { description: `${status}, error`, content: jsonContent(ErrorBody, `${where} response ${status}`) };
  }
  const params = [...parameters(route.params, 'path', `${where} params`), ...parameters(route.query, 'query', `${where} query`)];
  return {
    operationId,
    ...(route.summary ? { summary: route.summary } : {}),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(route.body ? { requestBody: { required: true as const, content: jsonContent(route.body, `${where} body`) } } : {}),
    responses,
  };
}

/**
 * The OpenAPI 3.1 document of a contract. Pure: the same contract and version always give the same
 * document, so the committed `services/<name>/openapi.json` can be checked for staleness.
 */
export function openApiDocument(contract: Contract, options: DocumentOptions): OpenApiDocument {
  const paths: { [path: string]: OpenApiPathItem } = {};
  for (const [operationId, route] of Object.entries(contract.routes)) {
    const item = (paths[openApiPath(route.path)] ??= {});
    item[route.method.toLowerCase()] = operation(operationId, route, contract.service);
  }
  const webhooks: { [event: string]: OpenApiPathItem } = {};
  for (const [event, schema] of Object.entries(contract.events ?? {})) {
    webhooks[event] = {
      post: {
        operationId: event,
        summary: `Published to a queue by ${contract.service}`,
        requestBody: { required: true, content: jsonContent(schema, `${contract.service} event ${event}`) },
        responses: { '200': { description: 'acknowledged' } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: contract.service, version: options.version },
    paths,
    ...(Object.keys(webhooks).length > 0 ? { webhooks } : {}),
    components: { schemas: { ErrorBody: wireSchema(ErrorBody, 'ErrorBody') } },
  };
}
