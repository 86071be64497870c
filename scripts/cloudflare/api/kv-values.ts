/**
 * Workers KV key-value pairs, as Cloudflare's API takes and shows them (api-schemas operations
 * `workers-kv-namespace-write-key-value-pair-with-metadata`, `-read-key-value-pair`,
 * `-delete-key-value-pair`, `-read-the-metadata-for-a-key`, `-list-a-namespace'-s-keys`,
 * `-write-multiple-key-value-pairs`, `-delete-multiple-key-value-pairs`, `-get-multiple-key-value-pairs`;
 * https://developers.cloudflare.com/api/resources/kv/subresources/namespaces/subresources/keys/ and
 * `…/subresources/values/`). wrangler 4.86.0 `packages/wrangler/src/kv/helpers.ts` sends these.
 */
import * as z from 'zod';

/** A key is at most 512 bytes. */
export const KV_KEY_MAX_BYTES = 512;
/** Bulk writes and deletes take at most 10,000 keys; bulk reads 100. */
export const KV_BULK_MAX_KEYS = 10_000;
export const KV_BULK_GET_MAX_KEYS = 100;
/** Metadata is at most 1024 bytes of JSON. */
export const KV_METADATA_MAX_BYTES = 1024;

export function kvMetadataFits(metadata: unknown): boolean {
  return metadata === undefined || new TextEncoder().encode(JSON.stringify(metadata)).length <= KV_METADATA_MAX_BYTES;
}

/** Expirations are at least 60 seconds away. */
export const KV_MIN_EXPIRATION_TTL = 60;
/** `GET …/keys?limit=`: 10–1000, 1000 by default. */
export const KV_LIST_LIMITS = { min: 10, max: 1000, default: 1000 } as const;

export const KvKeyNameSchema = z
  .string()
  .min(1, 'a key must not be empty')
  .refine((key) => new TextEncoder().encode(key).length <= KV_KEY_MAX_BYTES, `a key is at most ${KV_KEY_MAX_BYTES} bytes`);

/** Seconds since the UNIX epoch. */
const expiration = z.number().int().positive();
const expirationTtl = z.number().int().min(KV_MIN_EXPIRATION_TTL, `expiration_ttl must be at least ${KV_MIN_EXPIRATION_TTL} seconds`);

/** `?expiration=&expiration_ttl=` of `PUT …/values/{key}` (query strings, hence coerced). */
export const KvWriteQuerySchema = z.object({
  expiration: z.coerce.number().int().positive().optional(),
  expiration_ttl: z.coerce.number().int().min(KV_MIN_EXPIRATION_TTL, `expiration_ttl must be at least ${KV_MIN_EXPIRATION_TTL} seconds`).optional(),
});

/** One pair of `PUT …/bulk`; `base64: true` means `value` is base64 of the bytes to store. */
export const KvBulkWriteItemSchema = z.object({
  key: KvKeyNameSchema,
  value: z.string(),
  base64: z.boolean().optional(),
  expiration: expiration.optional(),
  expiration_ttl: expirationTtl.optional(),
  metadata: z.unknown().optional().refine(kvMetadataFits, `metadata is at most ${KV_METADATA_MAX_BYTES} bytes of JSON`),
});
export type KvBulkWriteItem = z.infer<typeof KvBulkWriteItemSchema>;

export const KvBulkWriteBodySchema = z.array(KvBulkWriteItemSchema).max(KV_BULK_MAX_KEYS);

/** `POST …/bulk/delete` (and wrangler's `DELETE …/bulk`): the keys to delete. */
export const KvBulkDeleteBodySchema = z.array(KvKeyNameSchema).max(KV_BULK_MAX_KEYS);

/** `POST …/bulk/get`. */
export const KvBulkGetBodySchema = z.object({
  keys: z.array(KvKeyNameSchema).min(1).max(KV_BULK_GET_MAX_KEYS),
  type: z.enum(['text', 'json']).default('text'),
  withMetadata: z.boolean().default(false),
});

/** The result of bulk writes and deletes. */
export const KvBulkResultSchema = z.object({ successful_key_count: z.number(), unsuccessful_keys: z.array(z.string()) });
export type KvBulkResult = z.infer<typeof KvBulkResultSchema>;

/** One entry of `GET …/keys`; `expiration` is omitted for keys that never expire. */
export const KvKeySchema = z.object({ name: z.string(), expiration: z.number().optional(), metadata: z.unknown().optional() });
export type KvKey = z.infer<typeof KvKeySchema>;
