/**
 * Cloudflare's API error codes, with the HTTP status each one answers with. Handlers throw
 * `ApiError`s built from this registry; the envelope turns them into `{success: false, …}`.
 */
export const ERRORS = {
  noRoute: { code: 7003, status: 404 },
  authentication: { code: 10000, status: 401 },
  forbidden: { code: 10000, status: 403 },
  unsupportedContentType: { code: 10001, status: 400 },
  internal: { code: 10002, status: 500 },
  unparseableBody: { code: 10006, status: 400 },
  scriptNotFound: { code: 10007, status: 404 },
  routeNotFound: { code: 10009, status: 404 },
  routeTaken: { code: 10013, status: 409 },
  routeScriptMissing: { code: 10019, status: 400 },
  /** Script content or request body failed validation checks but was parseable. */
  validation: { code: 10021, status: 400 },
  scriptStartup: { code: 10021, status: 400 },
  invalidRoutePattern: { code: 10022, status: 400 },
  scriptTooLarge: { code: 10027, status: 413 },
  secretNotFound: { code: 10056, status: 404 },
  deploymentNotFound: { code: 10336, status: 404 },
  domainNotFound: { code: 100114, status: 404 },
  /** A hostname already serving another Worker (an observed code, see openapi/BEHAVIOUR.md; the status is what matters). */
  domainTaken: { code: 100117, status: 409 },
  versionNotFound: { code: 100146, status: 404 },
  zoneNotFound: { code: 7003, status: 404 },
  zoneExists: { code: 1061, status: 400 },
  invalidZoneName: { code: 1099, status: 400 },
  queueNotFound: { code: 11000, status: 404 },
  queueExists: { code: 11009, status: 409 },
  consumerNotFound: { code: 11002, status: 404 },
  consumerExists: { code: 11004, status: 409 },
  /** KV: "a namespace with this account ID and title already exists" (HTTP 400, as the API docs say). */
  kvNamespaceExists: { code: 10014, status: 400 },
  /** KV: "namespace not found" (wrangler's KV help maps 10010–10013 to namespace errors). */
  kvNamespaceNotFound: { code: 10013, status: 404 },
  /** D1: "A database with that name already exists" (wrangler `d1 create` checks this code). */
  d1DatabaseExists: { code: 7502, status: 400 },
  /** D1: database not found (wrangler's provisioning treats this code as "missing"). */
  d1DatabaseNotFound: { code: 7404, status: 404 },
  /** Cloudflare's "error 1015: you are being rate limited". */
  rateLimited: { code: 1015, status: 429 },
  /** D1: a statement of `…/query` or `…/raw` failed (SQLite's message follows, e.g. `no such table: x: SQLITE_ERROR`). */
  d1QueryFailed: { code: 7500, status: 400 },
  /** A secret change on a Worker without versions (wrangler's `NO_VERSIONS_ERR_CODE`, versions/secrets/index.ts). */
  noVersions: { code: 10222, status: 400 },
  /** A secret change while a split deployment serves (scripts/edge/openapi/BEHAVIOUR.md: 10215 "version not deployed"). */
  versionNotDeployed: { code: 10215, status: 400 },
  /** R2: "The specified bucket name is not valid." (HTTP 400). */
  r2BucketNameInvalid: { code: 10005, status: 400 },
  /** R2: "The specified bucket does not exist." (wrangler's provisioning treats this code as "missing"). */
  r2BucketNotFound: { code: 10006, status: 404 },
  /** R2: "The bucket you tried to create already exists, and you own it." (HTTP 409). */
  r2BucketExists: { code: 10004, status: 409 },
  /** KV: "get: 'key not found'" for a key a namespace does not hold (an observed code; the 404 is what matters). */
  kvKeyNotFound: { code: 10009, status: 404 },
  /** R2: "The bucket you tried to delete is not empty." (HTTP 409). */
  r2BucketNotEmpty: { code: 10008, status: 409 },
  /** A JSON body over the edge's limit (see openapi/BEHAVIOUR.md: the status is what matters). */
  bodyTooLarge: { code: 10021, status: 413 },
  /** An upload's service binding names a Worker that does not exist (wrangler users report it: "Could not resolve service binding"). */
  serviceBindingTargetMissing: { code: 10143, status: 400 },
  /** An upload's queue binding names a queue that does not exist. */
  queueBindingTargetMissing: { code: 11000, status: 400 },
} as const satisfies Record<string, { code: number; status: number }>;

export type ErrorName = keyof typeof ERRORS;

export class ApiError extends Error {
  readonly code: number;
  readonly status: number;

  constructor(name: ErrorName, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = ERRORS[name].code;
    this.status = ERRORS[name].status;
  }
}

export function fail(name: ErrorName, message: string): never {
  throw new ApiError(name, message);
}
