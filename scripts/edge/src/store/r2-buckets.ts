/** An R2 bucket registered through the API (`POST …/r2/buckets`). */
export interface R2BucketRecord {
  /** Unique per account: what an `r2_bucket` binding's `bucket_name` names and the data plane stores objects under. */
  name: string;
  /** Lowercase location hint, e.g. `enam` (Cloudflare answers with the hint given, or where it put the bucket). */
  location: string;
  storage_class: string;
  creation_date: string;
}
