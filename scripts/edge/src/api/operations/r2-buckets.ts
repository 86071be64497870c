/**
 * R2 buckets: the named-resource operations, identified by name (list with `?name_contains=`,
 * `?start_after=` and `?order=name&direction=`, answered as `{buckets: […]}`; create
 * `{name, locationHint?, storageClass?}`; get; delete, refused with 10008 while the bucket holds
 * objects). `wrangler deploy` asks for a bound bucket
 * by name and creates it when the answer is 10006; `wrangler r2 bucket create/list/delete` and the
 * official SDK use the same four operations (https://developers.cloudflare.com/api/resources/r2/subresources/buckets/;
 * wrangler 4.86.0 `packages/wrangler/src/r2/helpers/bucket.ts`). The data plane stores a bucket's
 * objects under its name, so a Worker's `r2_bucket` binding reaches the bucket created here.
 */
import { isR2BucketName, R2_BUCKET_NAME_RULE, R2BucketBodySchema, type R2Bucket, type R2BucketBody } from '../../../../cloudflare/api/r2-buckets.ts';
import type { R2BucketRecord } from '../../store/r2-buckets.ts';
import { fail } from '../errors.ts';
import { namedPlace, namedResourceOperations, type NamedResourceKind } from '../named-resource.ts';

/** Where Cloudflare puts a bucket created without a location hint, as its list shows it. */
const DEFAULT_LOCATION = 'enam';

function bucketResource(bucket: R2BucketRecord): R2Bucket {
  return { name: bucket.name, creation_date: bucket.creation_date, location: bucket.location, storage_class: bucket.storage_class, jurisdiction: 'default' };
}

export const R2_BUCKETS: NamedResourceKind<R2BucketRecord, R2BucketBody> = {
  ...namedPlace('r2Buckets'),
  createBody: R2BucketBodySchema,
  create: (body, now) => {
    if (!isR2BucketName(body.name)) fail('r2BucketNameInvalid', `The specified bucket name is not valid: "${body.name}" (${R2_BUCKET_NAME_RULE}).`);
    return { name: body.name, location: body.locationHint ?? DEFAULT_LOCATION, storage_class: body.storageClass ?? 'Standard', creation_date: now };
  },
  identifiedBy: (bucket, name) => bucket.name === name,
  show: (_state, bucket) => bucketResource(bucket),
  list: {
    select: (buckets, c) => {
      const contains = c.req.query('name_contains') ?? '';
      const after = c.req.query('start_after') ?? '';
      const sign = c.req.query('direction') === 'desc' ? -1 : 1;
      return buckets
        .filter((bucket) => bucket.name.includes(contains) && bucket.name > after)
        .sort((a, b) => (a.name < b.name ? -sign : a.name > b.name ? sign : 0));
    },
    result: (shown) => ({ buckets: shown }),
  },
  checkDelete: async (bucket, context) => {
    if (await context.r2BucketHasObjects(bucket.name)) fail('r2BucketNotEmpty', `The bucket you tried to delete is not empty: "${bucket.name}" (delete its objects first).`);
  },
  exists: { error: 'r2BucketExists', message: () => 'The bucket you tried to create already exists, and you own it.' },
  notFound: { error: 'r2BucketNotFound', message: (name) => `The specified bucket does not exist: "${name}".` },
};

export const registerR2Buckets = namedResourceOperations(R2_BUCKETS);
