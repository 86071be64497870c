/**
 * Validates control-plane responses against Cloudflare's official OpenAPI extract
 * (`scripts/edge/openapi/openapi-workers.json`, BSD-3-Clause). OpenAPI 3.0 `nullable` is turned
 * into JSON Schema `type: [T, "null"]` before ajv compiles it; `$ref`s resolve inside the document.
 *
 * Deviations from the extract, each one deliberate and named where it is used:
 * - The extract's `4XX` schemas for Workers operations are `allOf: [<success schema>,
 *   workers_api-response-common-failure]`, which no response can satisfy (`success` must be both
 *   `true` and `false`). Failures are validated against the failure half alone.
 * - `workers_binding` gains the `plain_text`, `secret_text` (no value), `json` and `d1` shapes the
 *   extract's union lacks (see `patchBindingUnion`).
 * - Delete operations document no 200 schema; they are validated against the common envelope.
 * - Any other operation is held to the common envelope (`workers_api-response-common`).
 * - Operations the 2024 extract lacks but the live API has (`../../openapi/BEHAVIOUR.md`:
 *   `…/services/{name}`, `PUT …/scripts/{s}/routes`, per-script `…/subdomain`, `…/secrets`,
 *   Queues, the Workers resource API `…/workers/workers…`) are validated against the common envelope plus the result shape BEHAVIOUR.md gives,
 *   with its public source (see `NOTES_SCHEMAS`);
 *   KV namespaces and D1 databases against the shapes of Cloudflare's API docs (`DOCS_SCHEMAS`).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AjvModule, { type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import * as z from 'zod';
import { WorkerResourceSchema, WorkerVersionSchema } from '../../../cloudflare/api/workers.ts';

const Ajv = (AjvModule as unknown as { default?: typeof AjvModule }).default ?? AjvModule;
const addFormats = (addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule;

const DOCUMENT_ID = 'cloudflare-openapi.json';
const documentPath = fileURLToPath(new URL('../../openapi/openapi-workers.json', import.meta.url));

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** OpenAPI 3.0 → JSON Schema: `nullable: true` becomes a `null` alternative. */
function convertNullable(node: Json): Json {
  if (Array.isArray(node)) return node.map(convertNullable);
  if (node === null || typeof node !== 'object') return node;
  const out: { [key: string]: Json } = {};
  for (const [key, value] of Object.entries(node)) out[key] = convertNullable(value);
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  return out;
}

interface OperationRef {
  template: string;
  method: string;
  pointer: string;
  /** Whether the extract gives a JSON schema for the 200 response (deletes give none). */
  hasSuccessSchema: boolean;
}

function escapePointer(segment: string): string {
  return encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'));
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }>>;
  components: { schemas: Record<string, { oneOf?: unknown[] }> };
}

/**
 * The extract's `workers_binding` union predates the text bindings every upload uses
 * (`plain_text`, `secret_text`, `json`; BEHAVIOUR.md "Secrets, bindings, tags"), so a Worker's settings
 * with a plain variable could never validate. Those three shapes are added to the union; secrets
 * appear without their value.
 */
function patchBindingUnion(document: OpenApiDocument): void {
  const union = document.components.schemas.workers_binding;
  if (!union?.oneOf) throw new Error('openapi extract: workers_binding.oneOf is missing');
  union.oneOf.push(
    { type: 'object', required: ['name', 'type', 'text'], properties: { name: { type: 'string' }, type: { enum: ['plain_text'] }, text: { type: 'string' } } },
    { type: 'object', required: ['name', 'type'], additionalProperties: false, properties: { name: { type: 'string' }, type: { enum: ['secret_text'] } } },
    { type: 'object', required: ['name', 'type', 'json'], properties: { name: { type: 'string' }, type: { enum: ['json'] }, json: {} } },
    // D1 bindings (`{type: "d1", name, id}`, as wrangler uploads them and the settings answer shows them).
    { type: 'object', required: ['name', 'type', 'id'], properties: { name: { type: 'string' }, type: { enum: ['d1'] }, id: { type: 'string' } } },
  );
}

const KV_NAMESPACE = {
  type: 'object',
  required: ['id', 'title'],
  properties: { id: { type: 'string', pattern: '^[0-9a-f]{32}$' }, title: { type: 'string', maxLength: 512 }, supports_url_encoding: { type: 'boolean' } },
};
const D1_DATABASE = {
  type: 'object',
  required: ['uuid', 'name', 'created_at', 'version'],
  properties: { uuid: { type: 'string', format: 'uuid' }, name: { type: 'string' }, created_at: { type: 'string', format: 'date-time' }, version: { type: 'string' } },
};

const D1_META_FIELDS = ['changed_db', 'changes', 'duration', 'last_row_id', 'rows_read', 'rows_written', 'size_after'];
/** D1 "Query D1 Database" / "Raw D1 Database query": one `{results, success, meta}` per statement. */
const D1_RESULT = (results: object) => ({
  type: 'object',
  required: ['results', 'success', 'meta'],
  properties: { results, success: { type: 'boolean' }, meta: { type: 'object', required: D1_META_FIELDS } },
});
/** R2 "Get Bucket" / "List Buckets" (developers.cloudflare.com/api/resources/r2/subresources/buckets/). */
const R2_BUCKET = {
  type: 'object',
  required: ['name', 'creation_date'],
  properties: { name: { type: 'string', minLength: 3, maxLength: 64 }, creation_date: { type: 'string' }, location: { type: 'string' }, storage_class: { enum: ['Standard', 'InfrequentAccess'] }, jurisdiction: { type: 'string' } },
};
/** KV "List a Namespace's Keys" and the bulk results (developers.cloudflare.com/api/resources/kv/subresources/namespaces/subresources/keys/). */
const KV_KEY = { type: 'object', required: ['name'], properties: { name: { type: 'string', maxLength: 512 }, expiration: { type: 'number' }, metadata: {} } };
const KV_BULK_RESULT = { type: 'object', properties: { successful_key_count: { type: 'number' }, unsuccessful_keys: { type: 'array', items: { type: 'string' } } } };

/**
 * KV namespace and D1 database operations are not in the 2024 extract: these shapes follow
 * Cloudflare's API reference (developers.cloudflare.com/api: KV "Create a Namespace" →
 * `{id (≤ 32), title (≤ 512), supports_url_encoding?}`; D1 "Create D1 Database" / "List D1
 * Databases" → `{uuid, name, created_at, version, …}`), as listed in `openapi/BEHAVIOUR.md`.
 */
const DOCS_SCHEMAS: Readonly<Record<string, object>> = {
  'GET /accounts/{account_id}/storage/kv/namespaces': { type: 'array', items: KV_NAMESPACE },
  'POST /accounts/{account_id}/storage/kv/namespaces': KV_NAMESPACE,
  'GET /accounts/{account_id}/storage/kv/namespaces/{namespace_id}': KV_NAMESPACE,
  'PUT /accounts/{account_id}/storage/kv/namespaces/{namespace_id}': KV_NAMESPACE,
  'DELETE /accounts/{account_id}/storage/kv/namespaces/{namespace_id}': {},
  'GET /accounts/{account_id}/d1/database': { type: 'array', items: D1_DATABASE },
  'POST /accounts/{account_id}/d1/database': D1_DATABASE,
  'GET /accounts/{account_id}/d1/database/{database_id}': D1_DATABASE,
  'DELETE /accounts/{account_id}/d1/database/{database_id}': {},
  'POST /accounts/{account_id}/d1/database/{database_id}/query': { type: 'array', items: D1_RESULT({ type: 'array', items: { type: 'object' } }) },
  'POST /accounts/{account_id}/d1/database/{database_id}/raw': {
    type: 'array',
    items: D1_RESULT({ type: 'object', required: ['columns', 'rows'], properties: { columns: { type: 'array', items: { type: 'string' } }, rows: { type: 'array', items: { type: 'array' } } } }),
  },
  'GET /accounts/{account_id}/r2/buckets': { type: 'object', required: ['buckets'], properties: { buckets: { type: 'array', items: R2_BUCKET } } },
  'POST /accounts/{account_id}/r2/buckets': R2_BUCKET,
  'GET /accounts/{account_id}/r2/buckets/{bucket_name}': R2_BUCKET,
  'DELETE /accounts/{account_id}/r2/buckets/{bucket_name}': {},
  'GET /accounts/{account_id}/storage/kv/namespaces/{namespace_id}/keys': { type: 'array', items: KV_KEY },
  'PUT /accounts/{account_id}/storage/kv/namespaces/{namespace_id}/values/{key_name}': {},
  'DELETE /accounts/{account_id}/storage/kv/namespaces/{namespace_id}/values/{key_name}': {},
  'GET /accounts/{account_id}/storage/kv/namespaces/{namespace_id}/metadata/{key_name}': {},
  'PUT /accounts/{account_id}/storage/kv/namespaces/{namespace_id}/bulk': KV_BULK_RESULT,
  'DELETE /accounts/{account_id}/storage/kv/namespaces/{namespace_id}/bulk': KV_BULK_RESULT,
  'POST /accounts/{account_id}/storage/kv/namespaces/{namespace_id}/bulk/delete': KV_BULK_RESULT,
  'POST /accounts/{account_id}/storage/kv/namespaces/{namespace_id}/bulk/get': { type: 'object', required: ['values'], properties: { values: { type: 'object' } } },
};

/** Result shapes of operations missing from the 2024 extract, each listed with its public source in `openapi/BEHAVIOUR.md`. */
const NOTES_SCHEMAS: Readonly<Record<string, object>> = {
  'GET /accounts/{account_id}/workers/services/{service_name}': {
    type: 'object',
    required: ['id', 'default_environment'],
    properties: { id: { type: 'string' }, default_environment: { type: 'object', required: ['environment', 'script'], properties: { environment: { type: 'string' }, script: { type: 'object', required: ['id', 'tag'] } } } },
  },
  'PUT /accounts/{account_id}/workers/scripts/{script_name}/routes': { type: 'array', items: { type: 'object', required: ['id', 'pattern'] } },
  'GET /accounts/{account_id}/workers/scripts/{script_name}/subdomain': { type: 'object', required: ['enabled', 'previews_enabled'], properties: { enabled: { type: 'boolean' }, previews_enabled: { type: 'boolean' } } },
  'POST /accounts/{account_id}/workers/scripts/{script_name}/subdomain': { type: 'object', required: ['enabled', 'previews_enabled'], properties: { enabled: { type: 'boolean' }, previews_enabled: { type: 'boolean' } } },
  'GET /accounts/{account_id}/workers/scripts/{script_name}/secrets': {
    type: 'array',
    items: { type: 'object', required: ['name', 'type'], additionalProperties: false, properties: { name: { type: 'string' }, type: { const: 'secret_text' } } },
  },
  'PUT /accounts/{account_id}/workers/scripts/{script_name}/secrets': { type: 'object', required: ['name', 'type'], additionalProperties: false, properties: { name: { type: 'string' }, type: { const: 'secret_text' } } },
  'GET /accounts/{account_id}/workers/scripts/{script_name}/secrets/{secret_name}': { type: 'object', required: ['name', 'type'], additionalProperties: false, properties: { name: { type: 'string' }, type: { const: 'secret_text' } } },
  'DELETE /accounts/{account_id}/workers/scripts/{script_name}/secrets/{secret_name}': {},
  'GET /accounts/{account_id}/queues': { type: 'array', items: { type: 'object', required: ['queue_id', 'queue_name', 'consumers', 'producers'] } },
  'POST /accounts/{account_id}/queues': { type: 'object', required: ['queue_id', 'queue_name'] },
  'POST /accounts/{account_id}/queues/{queue_id}/consumers': { type: 'object', required: ['consumer_id', 'type', 'settings'] },
  'PUT /accounts/{account_id}/queues/{queue_id}/consumers/{consumer_id}': { type: 'object', required: ['consumer_id', 'type', 'settings'] },
  'GET /accounts/{account_id}/workers/scripts/{script_name}/deployments/{deployment_id}': { type: 'object', required: ['id', 'versions', 'strategy', 'created_on'] },
  'DELETE /accounts/{account_id}/workers/scripts/{script_name}/deployments/{deployment_id}': {},
  'GET /accounts/{account_id}/workers/scripts/{script_name}/references': { type: 'object', required: ['services'] },
  'DELETE /accounts/{account_id}/workers/services/{service_name}': {},
  'GET /accounts/{account_id}/workers/workers': { type: 'array', items: z.toJSONSchema(WorkerResourceSchema) },
  'GET /accounts/{account_id}/workers/workers/{worker_id}': z.toJSONSchema(WorkerResourceSchema),
  'PATCH /accounts/{account_id}/workers/workers/{worker_id}/versions/latest': z.toJSONSchema(WorkerVersionSchema),
  'PATCH /accounts/{account_id}/workers/workers/{worker_id}': z.toJSONSchema(WorkerResourceSchema),
  'GET /user': { type: 'object', required: ['id', 'email'], properties: { id: { type: 'string' }, email: { type: 'string' } } },
  'GET /memberships': { type: 'array', items: { type: 'object', required: ['id', 'account', 'status'], properties: { account: { type: 'object', required: ['id', 'name'] } } } },
  ...DOCS_SCHEMAS,
};

export interface ValidationResult {
  operation: string;
  /**
   * Which schema judged the response: the extract's, its failure half, a BEHAVIOUR.md shape, or —
   * for operations neither describes (e.g. the KV list wrangler delete reads) — the envelope alone.
   */
  source: 'openapi' | 'openapi-failure' | 'notes' | 'envelope';
  errors: string[];
}

function templateMatches(template: string, path: string): boolean {
  const want = template.split('/');
  const got = path.split('/');
  return want.length === got.length && want.every((segment, index) => segment.startsWith('{') || segment === got[index]);
}

export class OpenApiValidator {
  readonly #ajv: InstanceType<typeof Ajv>;
  readonly #operations: OperationRef[] = [];
  readonly #compiled = new Map<string, ValidateFunction>();

  constructor() {
    const document = convertNullable(JSON.parse(readFileSync(documentPath, 'utf8')) as Json) as unknown as OpenApiDocument;
    patchBindingUnion(document);
    this.#ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.#ajv);
    this.#ajv.addSchema({ ...document, $id: DOCUMENT_ID });
    for (const [template, operations] of Object.entries(document.paths)) {
      for (const method of Object.keys(operations)) {
        const schema = operations[method]?.responses?.['200']?.content?.['application/json']?.schema;
        this.#operations.push({ template, method: method.toUpperCase(), pointer: `/paths/${escapePointer(template)}/${method}`, hasSuccessSchema: schema !== undefined });
      }
    }
  }

  #compile(key: string, schema: object): ValidateFunction {
    let validate = this.#compiled.get(key);
    if (!validate) {
      validate = this.#ajv.compile(schema);
      this.#compiled.set(key, validate);
    }
    return validate;
  }

  #ref(pointer: string): object {
    return { $ref: `${DOCUMENT_ID}#${pointer}` };
  }

  /** The extract's operation for `method path` (path relative to /client/v4), if it documents one. */
  operationFor(method: string, path: string): OperationRef | undefined {
    const pathname = path.split('?')[0] ?? path;
    return this.#operations.find((operation) => operation.method === method.toUpperCase() && templateMatches(operation.template, pathname));
  }

  /** Whether `method path` is an operation this validator can judge (extract or BEHAVIOUR.md). */
  notesOperationFor(method: string, path: string): string | undefined {
    const pathname = path.split('?')[0] ?? path;
    return Object.keys(NOTES_SCHEMAS).find((key) => {
      const [keyMethod, template] = key.split(' ');
      return keyMethod === method.toUpperCase() && template !== undefined && templateMatches(template, pathname);
    });
  }

  validate(method: string, path: string, status: number, body: unknown): ValidationResult {
    const operation = this.operationFor(method, path);
    const success = status >= 200 && status < 300;
    if (operation) {
      const name = `${operation.method} ${operation.template}`;
      if (success && !operation.hasSuccessSchema) {
        const pointer = '/components/schemas/workers_api-response-common';
        return this.#run(name, 'openapi', this.#compile(pointer, this.#ref(pointer)), body);
      }
      if (success) {
        const pointer = `${operation.pointer}/responses/200/content/application~1json/schema`;
        return this.#run(name, 'openapi', this.#compile(pointer, this.#ref(pointer)), body);
      }
      // The extract's Workers 4XX schemas are unsatisfiable (see the header); use the failure half.
      const failure = operation.template.startsWith('/zones') && !operation.template.includes('/workers/') ? 'zones_api-response-common-failure' : 'workers_api-response-common-failure';
      const pointer = `/components/schemas/${failure}`;
      return this.#run(name, 'openapi-failure', this.#compile(pointer, this.#ref(pointer)), body);
    }
    const notes = this.notesOperationFor(method, path);
    if (!notes) {
      const pointer = success ? '/components/schemas/workers_api-response-common' : '/components/schemas/workers_api-response-common-failure';
      return this.#run(`${method} ${path.split('?')[0] ?? path}`, success ? 'envelope' : 'openapi-failure', this.#compile(pointer, this.#ref(pointer)), body);
    }
    if (!success) {
      const pointer = '/components/schemas/workers_api-response-common-failure';
      return this.#run(notes, 'openapi-failure', this.#compile(pointer, this.#ref(pointer)), body);
    }
    const envelope = this.#ref('/components/schemas/workers_api-response-common');
    const schema = { allOf: [envelope, { type: 'object', required: ['result'], properties: { result: NOTES_SCHEMAS[notes] } }] };
    return this.#run(notes, 'notes', this.#compile(`notes:${notes}`, schema), body);
  }

  #run(operation: string, source: ValidationResult['source'], validate: ValidateFunction, body: unknown): ValidationResult {
    const valid = validate(body);
    return { operation, source, errors: valid ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || '(root)'} ${error.message ?? ''} ${JSON.stringify(error.params)}`) };
  }
}
