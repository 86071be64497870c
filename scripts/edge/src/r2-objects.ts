/**
 * What the control plane's R2 bucket operations need from the data plane: whether a bucket holds
 * any object, in the store the Workers' `r2_bucket` bindings use (Cloudflare refuses to delete a
 * bucket that does). Undefined when the data plane does not hold that bucket.
 */
export type R2ObjectsLookup = (bucket: string) => Promise<boolean | undefined>;
