import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * GitHub's official REST description (npm `@octokit/openapi`, api.github.com, OpenAPI 3.0.3),
 * used by the fake GitHub server to decide whether a request is one GitHub documents and whether
 * its own replies are what GitHub documents. Loaded once per process; each operation's
 * validators are compiled on first use (the document is 13 MB, compiling it whole takes minutes).
 */

const DOCUMENT_ID = 'https://api.github.com/openapi.json';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
type Method = (typeof METHODS)[number];

interface ParameterObject {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: SchemaLike;
}
interface SchemaLike {
  $ref?: string;
  type?: string;
  items?: SchemaLike;
}
interface ReferenceObject {
  $ref: string;
}
interface MediaType {
  schema?: SchemaLike;
}
interface OperationObject {
  operationId: string;
  parameters?: Array<ParameterObject | ReferenceObject>;
  requestBody?: { required?: boolean; content?: Record<string, MediaType> } | ReferenceObject;
  responses: Record<string, { content?: Record<string, MediaType> } | ReferenceObject>;
}
interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Partial<Record<Method, OperationObject>>>;
}

export interface OperationMatch {
  operationId: string;
  method: Method;
  /** The documented path template, e.g. `/repos/{owner}/{repo}/issues/{issue_number}/comments`. */
  template: string;
  /** Raw (decoded) path parameters by name. */
  pathParams: Record<string, string>;
}

export interface RequestToValidate {
  query: URLSearchParams;
  /** Parsed JSON body, or undefined when the request had none. */
  body: unknown;
}

export interface Violation {
  /** Where: `path.issue_number`, `query.per_page`, `body/body`, `response 201/user`. */
  where: string;
  message: string;
}

interface CompiledOperation {
  parameters: ParameterObject[];
  params: ValidateFunction;
  body?: { required: boolean; validate: ValidateFunction };
  responses: Map<string, ValidateFunction | null>;
}

interface CompiledTemplate {
  template: string;
  pattern: RegExp;
  names: string[];
  /** More literal segments = more specific: `/issues/comments/{id}` beats `/issues/{number}/…`. */
  literalSegments: number;
}

function pointer(segments: readonly string[]): string {
  return segments.map((segment) => encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');
}

function isReference(value: object): value is ReferenceObject {
  return '$ref' in value && typeof (value as ReferenceObject).$ref === 'string';
}

function compileTemplate(template: string): CompiledTemplate {
  const names: string[] = [];
  let literalSegments = 0;
  const source = template
    .split('/')
    .map((segment) => {
      if (!segment.includes('{')) {
        if (segment) literalSegments += 1;
        return segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      }
      return segment.replace(/\{([^}]+)\}|([^{]+)/g, (_all, name: string | undefined, literal: string | undefined) => {
        if (name === undefined) return (literal ?? '').replace(/[.*+?^$()|[\]\\]/g, '\\$&');
        names.push(name);
        return '([^/]+)';
      });
    })
    .join('/');
  return { template, pattern: new RegExp(`^${source}$`), names, literalSegments };
}

function formatErrors(prefix: string, errors: ErrorObject[] | null | undefined): Violation[] {
  return (errors ?? []).map((error) => ({
    where: `${prefix}${error.instancePath}`,
    message: `${error.message ?? 'is invalid'}${error.params && Object.keys(error.params).length > 0 ? ` ${JSON.stringify(error.params)}` : ''}`,
  }));
}

export class OpenApiOperations {
  readonly document: OpenApiDocument;
  private readonly ajv: Ajv;
  private readonly templates: CompiledTemplate[];
  private readonly compiled = new Map<string, CompiledOperation>();

  constructor(document: OpenApiDocument) {
    this.document = document;
    // strict: false because the document carries OpenAPI-only keywords (example, x-github, discriminator).
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false });
    addFormats(this.ajv);
    allowNullWithoutType(document);
    this.ajv.addSchema(document as unknown as object, DOCUMENT_ID);
    this.templates = Object.keys(document.paths)
      .map(compileTemplate)
      .sort((left, right) => right.literalSegments - left.literalSegments);
  }

  /** The documented operation for this method and path, or undefined (the fake answers 404). */
  match(method: string, path: string): OperationMatch | undefined {
    const lower = method.toLowerCase() as Method;
    if (!METHODS.includes(lower)) return undefined;
    for (const candidate of this.templates) {
      const operation = this.document.paths[candidate.template]?.[lower];
      if (!operation) continue;
      const found = candidate.pattern.exec(path);
      if (!found) continue;
      const pathParams: Record<string, string> = {};
      candidate.names.forEach((name, index) => {
        pathParams[name] = decodeURIComponent(found[index + 1] ?? '');
      });
      return { operationId: operation.operationId, method: lower, template: candidate.template, pathParams };
    }
    return undefined;
  }

  /** Path params, query and JSON body against the operation's schemas; empty when valid. */
  validateRequest(match: OperationMatch, request: RequestToValidate): Violation[] {
    const operation = this.compile(match);
    const violations: Violation[] = [];
    const values: Record<string, unknown> = {};
    for (const parameter of operation.parameters) {
      if (parameter.in === 'path') {
        const raw = match.pathParams[parameter.name];
        if (raw !== undefined) values[`path.${parameter.name}`] = this.coerce(parameter, [raw]);
      } else if (parameter.in === 'query') {
        const raw = request.query.getAll(parameter.name);
        if (raw.length > 0) values[`query.${parameter.name}`] = this.coerce(parameter, raw);
      }
    }
    const documentedQuery = new Set(operation.parameters.filter((parameter) => parameter.in === 'query').map((parameter) => parameter.name));
    for (const name of new Set(request.query.keys())) {
      if (!documentedQuery.has(name)) violations.push({ where: `query.${name}`, message: 'is not a documented query parameter of this operation' });
    }
    if (!operation.params(values)) violations.push(...formatErrors('', operation.params.errors).map(renameParamViolation));

    if (operation.body) {
      if (request.body === undefined) {
        if (operation.body.required) violations.push({ where: 'body', message: 'a JSON request body is required' });
      } else if (!operation.body.validate(request.body)) {
        violations.push(...formatErrors('body', operation.body.validate.errors));
      }
    } else if (request.body !== undefined) {
      violations.push({ where: 'body', message: 'this operation takes no request body' });
    }
    return violations;
  }

  documentsStatus(match: OperationMatch, status: number): boolean {
    return this.compile(match).responses.has(String(status));
  }

  /** A reply against the documented response schema for its status; undocumented statuses are violations. */
  validateResponse(match: OperationMatch, status: number, body: unknown): Violation[] {
    const operation = this.compile(match);
    const key = String(status);
    if (!operation.responses.has(key)) {
      return [{ where: `response ${key}`, message: `${match.operationId} documents no ${key} response (documented: ${[...operation.responses.keys()].join(', ')})` }];
    }
    const validate = operation.responses.get(key);
    if (!validate) {
      return body === undefined ? [] : [{ where: `response ${key}`, message: 'documented without a body, but one was sent' }];
    }
    return validate(body) ? [] : formatErrors(`response ${key}`, validate.errors);
  }

  private coerce(parameter: ParameterObject, raw: string[]): unknown {
    const type = this.resolveSchema(parameter.schema)?.type;
    const one = (value: string): unknown => {
      if ((type === 'integer' || type === 'number') && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
      if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
      return value;
    };
    if (type === 'array') return raw.flatMap((value) => value.split(','));
    return one(raw[raw.length - 1] ?? '');
  }

  private resolveSchema(schema: SchemaLike | undefined): SchemaLike | undefined {
    let current = schema;
    for (let depth = 0; current?.$ref && depth < 10; depth += 1) current = this.resolve<SchemaLike>(current.$ref);
    return current;
  }

  private resolve<T>(ref: string): T {
    if (!ref.startsWith('#/')) throw new Error(`unsupported $ref ${ref}`);
    let node: unknown = this.document;
    for (const segment of ref.slice(2).split('/')) {
      const key = segment.replace(/~1/g, '/').replace(/~0/g, '~');
      node = (node as Record<string, unknown>)[key];
      if (node === undefined) throw new Error(`dangling $ref ${ref}`);
    }
    return node as T;
  }

  private compile(match: OperationMatch): CompiledOperation {
    const cacheKey = `${match.method} ${match.template}`;
    const cached = this.compiled.get(cacheKey);
    if (cached) return cached;
    const base = ['paths', match.template, match.method];
    const operation = this.document.paths[match.template]?.[match.method];
    if (!operation) throw new Error(`no operation ${cacheKey}`);

    // Each parameter keeps a pointer to where its schema lives, so $refs inside resolve in the document.
    const parameters: ParameterObject[] = [];
    const properties: Record<string, object> = {};
    const required: string[] = [];
    (operation.parameters ?? []).forEach((entry, index) => {
      const location = isReference(entry) ? entry.$ref.slice(2).split('/').map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~')) : [...base, 'parameters', String(index)];
      const parameter = isReference(entry) ? this.resolve<ParameterObject>(entry.$ref) : entry;
      if (parameter.in !== 'path' && parameter.in !== 'query') return;
      parameters.push(parameter);
      const key = `${parameter.in}.${parameter.name}`;
      properties[key] = parameter.schema ? { $ref: `${DOCUMENT_ID}#/${pointer([...location, 'schema'])}` } : {};
      if (parameter.required) required.push(key);
    });
    const params = this.ajv.compile({ type: 'object', properties, required });

    let body: CompiledOperation['body'];
    if (operation.requestBody) {
      const requestBody = isReference(operation.requestBody) ? this.resolve<{ required?: boolean; content?: Record<string, MediaType> }>(operation.requestBody.$ref) : operation.requestBody;
      const bodyBase = isReference(operation.requestBody) ? operation.requestBody.$ref.slice(2).split('/').map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~')) : [...base, 'requestBody'];
      if (requestBody.content?.['application/json']?.schema) {
        body = {
          required: requestBody.required === true,
          validate: this.ajv.compile({ $ref: `${DOCUMENT_ID}#/${pointer([...bodyBase, 'content', 'application/json', 'schema'])}` }),
        };
      }
    }

    const responses = new Map<string, ValidateFunction | null>();
    for (const [status, entry] of Object.entries(operation.responses)) {
      const response = isReference(entry) ? this.resolve<{ content?: Record<string, MediaType> }>(entry.$ref) : entry;
      const responseBase = isReference(entry) ? entry.$ref.slice(2).split('/').map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~')) : [...base, 'responses', status];
      const media = Object.keys(response.content ?? {}).find((type) => type.includes('json'));
      responses.set(
        status,
        media && response.content?.[media]?.schema ? this.ajv.compile({ $ref: `${DOCUMENT_ID}#/${pointer([...responseBase, 'content', media, 'schema'])}` }) : null,
      );
    }

    const compiled: CompiledOperation = { parameters, params, responses, ...(body ? { body } : {}) };
    this.compiled.set(cacheKey, compiled);
    return compiled;
  }
}

/**
 * OpenAPI 3.0's `nullable: true` means "or null", whatever else the schema says; Ajv reads it only
 * beside `type`, and then still checks `enum`. So, in place (a schema's path, and every $ref to it,
 * stays the same): an `enum` of a nullable schema also lists null (GitHub's issue `state_reason`),
 * and a nullable schema without `type` (`oneOf`/`anyOf`/`allOf`, as the issue `milestone`, `title`
 * and `type` are written) becomes `anyOf: [the schema, { type: 'null' }]`.
 */
function allowNullWithoutType(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) allowNullWithoutType(item);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const schema = node as Record<string, unknown>;
  for (const value of Object.values(schema)) allowNullWithoutType(value);
  if (schema.nullable !== true) return;
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...(schema.enum as unknown[]), null];
  if ('type' in schema) return;
  const { nullable: _nullable, description, ...rest } = schema;
  for (const key of Object.keys(schema)) delete schema[key];
  Object.assign(schema, description === undefined ? {} : { description }, { anyOf: [rest, { type: 'null' }] });
}

function renameParamViolation(violation: Violation): Violation {
  // `/path.issue_number` → `path.issue_number`; a missing required one names itself in params.
  return { where: violation.where.replace(/^\//, '') || 'parameters', message: violation.message };
}

let shared: OpenApiOperations | undefined;

/** The api.github.com description from `@octokit/openapi`, parsed once per process. */
export function githubOperations(): OpenApiOperations {
  if (!shared) {
    const file = createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json');
    shared = new OpenApiOperations(JSON.parse(readFileSync(file, 'utf8')) as OpenApiDocument);
  }
  return shared;
}
