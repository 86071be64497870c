/**
 * R2 buckets, as Cloudflare's API shows and takes them (api-schemas operations
 * `r2-create-bucket`, `r2-list-buckets`, `r2-get-bucket`, `r2-delete-bucket`;
 * https://developers.cloudflare.com/api/resources/r2/subresources/buckets/). wrangler's
 * `r2/helpers/bucket.ts` (4.86.0) sends `{name, locationHint?, storageClass?}` and reads
 * `result.buckets` from the list; its provisioning (`deployment-bundle/bindings.ts`) treats code
 * 10006 from `GET …/r2/buckets/{name}` as "missing".
 */
import * as z from 'zod';

/** 3–63 characters: lowercase letters, digits and hyphens, starting and ending with a letter or digit. */
export const R2_BUCKET_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

export const R2_LOCATION_HINTS = ['apac', 'eeur', 'enam', 'weur', 'wnam', 'oc'] as const;
export const R2_STORAGE_CLASSES = ['Standard', 'InfrequentAccess'] as const;

export const R2_BUCKET_NAME_RULE = 'a bucket name is 3–63 lowercase letters, digits or hyphens, starting and ending with a letter or digit';

export function isR2BucketName(name: string): boolean {
  return R2_BUCKET_NAME_PATTERN.test(name);
}

/** `POST /accounts/{a}/r2/buckets`. The name's rule is checked apart: Cloudflare refuses a bad one with its own code (10005). */
export const R2BucketBodySchema = z.object({
  name: z.string().min(1),
  locationHint: z.enum(R2_LOCATION_HINTS).optional(),
  storageClass: z.enum(R2_STORAGE_CLASSES).optional(),
});
export type R2BucketBody = z.infer<typeof R2BucketBodySchema>;

export const R2BucketSchema = z.object({
  name: z.string(),
  creation_date: z.string().optional(),
  location: z.string().optional(),
  storage_class: z.string().optional(),
  jurisdiction: z.string().optional(),
});
export type R2Bucket = z.infer<typeof R2BucketSchema>;

/** `GET …/r2/buckets`: `result` is an object holding the page (not a bare array). */
export const R2BucketListSchema = z.object({ buckets: z.array(R2BucketSchema) });
export type R2BucketList = z.infer<typeof R2BucketListSchema>;
