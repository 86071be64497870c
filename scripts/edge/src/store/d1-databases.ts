/** A D1 database registered through the API (`POST …/d1/database`). */
export interface D1DatabaseRecord {
  /** UUID: what a `d1` binding's `id` names and the data plane stores data under. */
  uuid: string;
  /** Unique per account. */
  name: string;
  created_at: string;
}
