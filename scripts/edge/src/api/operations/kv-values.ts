/**
 * Workers KV data: key-value pairs of a registered namespace, read and written in the store the
 * Workers' `kv_namespace` bindings use (the data plane's KV persist), so what a Worker wrote is
 * what these operations read and the other way round. `PUT …/values/{key}` takes the value as the
 * raw body, or as multipart `value` + `metadata` (JSON) parts, with `?expiration=` /
 * `?expiration_ttl=`; `GET` answers the raw bytes; `GET …/keys` pages by cursor; bulk writes,
 * reads and deletes; `GET …/metadata/{key}`. Shapes: see scripts/cloudflare/api/kv-values.ts.
 */
import type { Context } from 'hono';
import {
  KV_LIST_LIMITS,
  KV_METADATA_MAX_BYTES,
  kvMetadataFits,
  KvBulkDeleteBodySchema,
  KvBulkGetBodySchema,
  KvBulkWriteBodySchema,
  KvKeyNameSchema,
  KvWriteQuerySchema,
  type KvBulkResult,
  type KvBulkWriteItem,
  type KvKey,
} from '../../../../cloudflare/api/kv-values.ts';
import type { KvNamespaceStore, KvPutOptions } from '../../kv-store.ts';
import type { ApiContext, OperationModule } from '../context.ts';
import { ok } from '../envelope.ts';
import { fail } from '../errors.ts';
import { requireNamed } from '../named-resource.ts';
import { jsonBody, parseWith } from '../validate.ts';
import { KV_NAMESPACES } from './kv-namespaces.ts';

const NAMESPACE = '/accounts/:account_id/storage/kv/namespaces/:namespace_id';
/** Keys may hold `/` (sent percent-encoded); the rest of the path is the key. */
const KEY = ':key_name{.+}';

/** The namespace named by the path, refused with 10013 when it is not registered. */
async function namespaceStore(c: Context, context: ApiContext): Promise<KvNamespaceStore> {
  const id = c.req.param('namespace_id') ?? '';
  requireNamed(KV_NAMESPACES, context.store.state, id);
  return (await context.kvNamespace(id)) ?? fail('kvNamespaceNotFound', KV_NAMESPACES.notFound.message(id));
}

function keyParam(c: Context): string {
  return parseWith(KvKeyNameSchema, c.req.param('key_name') ?? '', 'the key in the path');
}

function keyNotFound(key: string): never {
  return fail('kvKeyNotFound', `get: 'key not found' (${key})`);
}

function parseMetadata(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return fail('validation', `${where} must be JSON; got ${JSON.stringify(text.slice(0, 80))}`);
  }
}

/** An absolute expiration must lie at least a minute ahead, as KV requires. */
function checkExpiration(expiration: number | undefined, where: string): void {
  const earliest = Math.floor(Date.now() / 1000) + 60;
  if (expiration !== undefined && expiration < earliest) {
    fail('validation', `${where}: invalid expiration of ${expiration}; expiration times must be at least 60 seconds in the future (seconds since the UNIX epoch)`);
  }
}

/** Cloudflare uses `expiration_ttl` when both are given. */
function putOptions(expiration: number | undefined, expirationTtl: number | undefined, metadata: unknown): KvPutOptions {
  return {
    ...(expirationTtl !== undefined ? { expirationTtl } : expiration !== undefined ? { expiration } : {}),
    ...(metadata !== undefined ? { metadata } : {}),
  };
}

/** The value and metadata of a single write: multipart `value` + `metadata` parts, or the raw body. */
async function writtenValue(c: Context): Promise<{ value: ArrayBuffer; metadata: unknown }> {
  const mediaType = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'multipart/form-data') return { value: await c.req.arrayBuffer(), metadata: undefined };
  const form = await c.req.formData();
  const value = form.get('value');
  if (value === null) fail('validation', 'the multipart body has no `value` part');
  const metadata = form.get('metadata');
  return {
    value: typeof value === 'string' ? new TextEncoder().encode(value).buffer : await value.arrayBuffer(),
    metadata: metadata === null ? undefined : parseMetadata(typeof metadata === 'string' ? metadata : await metadata.text(), 'the `metadata` part'),
  };
}

function bulkValue(item: KvBulkWriteItem): ArrayBuffer {
  return Uint8Array.from(Buffer.from(item.value, item.base64 ? 'base64' : 'utf8')).buffer;
}

function bulkResult(count: number): KvBulkResult {
  return { successful_key_count: count, unsuccessful_keys: [] };
}

export const registerKvValues: OperationModule = (app, context) => {
  app.get(`${NAMESPACE}/values/${KEY}`, async (c) => {
    const key = keyParam(c);
    const found = (await (await namespaceStore(c, context)).get(key)) ?? keyNotFound(key);
    return c.body(found.value, 200, { 'content-type': 'application/octet-stream' });
  });

  app.put(`${NAMESPACE}/values/${KEY}`, async (c) => {
    const key = keyParam(c);
    const query = parseWith(KvWriteQuerySchema, c.req.query(), 'the query');
    checkExpiration(query.expiration, 'the query');
    const namespace = await namespaceStore(c, context);
    const { value, metadata } = await writtenValue(c);
    if (!kvMetadataFits(metadata)) fail('validation', `the \`metadata\` part is at most ${KV_METADATA_MAX_BYTES} bytes of JSON`);
    await namespace.put(key, value, putOptions(query.expiration, query.expiration_ttl, metadata));
    return ok(c, {});
  });

  app.delete(`${NAMESPACE}/values/${KEY}`, async (c) => {
    const key = keyParam(c);
    await (await namespaceStore(c, context)).delete(key);
    return ok(c, {});
  });

  app.get(`${NAMESPACE}/metadata/${KEY}`, async (c) => {
    const key = keyParam(c);
    const found = (await (await namespaceStore(c, context)).get(key)) ?? keyNotFound(key);
    return ok(c, found.metadata ?? null);
  });

  app.get(`${NAMESPACE}/keys`, async (c) => {
    const namespace = await namespaceStore(c, context);
    const requested = Number.parseInt(c.req.query('limit') ?? '', 10);
    const limit = Number.isNaN(requested) ? KV_LIST_LIMITS.default : Math.min(KV_LIST_LIMITS.max, Math.max(KV_LIST_LIMITS.min, requested));
    const prefix = c.req.query('prefix');
    const cursor = c.req.query('cursor');
    const page = await namespace.list({ limit, ...(prefix ? { prefix } : {}), ...(cursor ? { cursor } : {}) });
    const keys: KvKey[] = page.keys;
    // An empty cursor marks the last page (wrangler pages while `result_info.cursor` is set).
    return ok(c, keys, { count: keys.length, cursor: page.list_complete ? '' : (page.cursor ?? '') });
  });

  app.put(`${NAMESPACE}/bulk`, jsonBody(KvBulkWriteBodySchema), async (c) => {
    const items = c.req.valid('json');
    // Every pair is checked before the first is written: a refused request writes nothing.
    items.forEach((item, index) => checkExpiration(item.expiration, `pair ${index} ("${item.key}")`));
    const namespace = await namespaceStore(c, context);
    await namespace.writeMany(items.map((item) => ({ key: item.key, value: bulkValue(item), options: putOptions(item.expiration, item.expiration_ttl, item.metadata) })));
    return ok(c, bulkResult(items.length));
  });

  const bulkDelete = jsonBody(KvBulkDeleteBodySchema);
  const deleteKeys = async (c: Context, keys: string[]): Promise<Response> => {
    const namespace = await namespaceStore(c, context);
    await namespace.writeMany(keys.map((key) => ({ key })));
    return ok(c, bulkResult(keys.length));
  };
  app.post(`${NAMESPACE}/bulk/delete`, bulkDelete, (c) => deleteKeys(c, c.req.valid('json')));
  // The older form wrangler 4.86 still sends (`kv bulk delete`).
  app.delete(`${NAMESPACE}/bulk`, bulkDelete, (c) => deleteKeys(c, c.req.valid('json')));

  app.post(`${NAMESPACE}/bulk/get`, jsonBody(KvBulkGetBodySchema), async (c) => {
    const { keys, type, withMetadata } = c.req.valid('json');
    const namespace = await namespaceStore(c, context);
    const values: Record<string, unknown> = {};
    for (const key of keys) {
      const found = await namespace.get(key);
      const text = found === null ? null : new TextDecoder().decode(found.value);
      const value = text === null ? null : type === 'json' ? parseMetadata(text, `the value of "${key}"`) : text;
      values[key] = withMetadata ? (found === null ? null : { value, metadata: found.metadata ?? null }) : value;
    }
    return ok(c, { values });
  });
};
