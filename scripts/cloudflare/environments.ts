import * as z from 'zod';
import { VarsConfig } from './bindings/config.ts';

/**
 * Environments of the fleet, declared once in the root `wrangler.toml` as `[env.<name>]` tables
 * (the same table name wrangler uses in a service's own config):
 *
 * ```toml
 * [gitops]
 * environment = "production"     # the top-level environment: names as written, the default of --env
 *
 * [env.staging]
 * hosts = { "api.example.com" = "api.staging.example.com" }  # every route host → this environment's host
 * vars = { LOG_LEVEL = "debug" }                              # vars that differ here
 * credentials = { api_token = "CLOUDFLARE_API_TOKEN_STAGING", account_id = "CLOUDFLARE_ACCOUNT_ID_STAGING" }
 * prune = true
 * ```
 *
 * Naming follows wrangler, so `npx wrangler … --env staging` in a service folder finds what the
 * reconciler deployed: a named environment's Worker is `<name>-<env>` (wrangler's `appendEnvName`
 * for the inherited `name` key, packages/wrangler/src/config/validation.ts in
 * github.com/cloudflare/workers-sdk; https://developers.cloudflare.com/workers/wrangler/environments/).
 */

/** An environment name: used in Worker names (`users-staging`), so Cloudflare's script-name characters. */
export const EnvironmentName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,30}$/, 'an environment name: lowercase letters, digits and - (at most 31 characters)');

/** The names of environment variables holding a named environment's Cloudflare credentials. */
const variableName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'the name of an environment variable');
export const EnvironmentCredentials = z.strictObject({
  api_token: variableName.default('CLOUDFLARE_API_TOKEN'),
  account_id: variableName.default('CLOUDFLARE_ACCOUNT_ID'),
});
export type EnvironmentCredentials = z.infer<typeof EnvironmentCredentials>;

const hostname = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/, 'a lowercase hostname such as api.staging.example.com');

/** One root `[env.<name>]` table. */
export const EnvironmentSettings = z.strictObject({
  /** Each route host of the fleet → the host this environment's routes use instead. */
  hosts: z.record(hostname, hostname).default({}),
  /** Vars of every service in this environment (over the root's and the service's top-level vars). */
  vars: VarsConfig.optional(),
  credentials: EnvironmentCredentials.prefault({}),
  /** Overrides `[gitops] prune` for this environment. */
  prune: z.boolean().optional(),
});
export type EnvironmentSettings = z.infer<typeof EnvironmentSettings>;

/** The root's `[env]` table: absent means no named environment. */
export const EnvironmentsTable = z.record(EnvironmentName, EnvironmentSettings).optional();
export type EnvironmentsTable = z.infer<typeof EnvironmentsTable>;

/** The top-level environment's name when `[gitops] environment` does not say. */
export const DEFAULT_TOP_LEVEL_ENVIRONMENT = 'production';

/** A pull request's preview environment, `pr-<number>`: derived, never declared. */
export const PREVIEW_ENVIRONMENT = /^pr-[1-9][0-9]*$/;

/** The named environment previews derive from and bind to where they have no copy of their own. */
export const PREVIEW_BASE = 'staging';

/**
 * The keys wrangler does not inherit from the top level into `[env.<name>]` (its `notInheritable`
 * fields in packages/wrangler/src/config/validation.ts): an environment table without them has
 * none, exactly as `wrangler deploy --env <name>` sees it. Of those, the keys the fleet reads.
 */
export const NON_INHERITABLE_KEYS = ['vars', 'services', 'kv_namespaces', 'd1_databases', 'r2_buckets', 'queues'] as const;

/** The keys wrangler inherits from the top level when an environment leaves them out (`inheritable`), of those the fleet reads. */
export const INHERITABLE_KEYS = ['main', 'compatibility_date', 'compatibility_flags', 'workers_dev', 'route', 'routes', 'triggers'] as const;

/** A Worker's name in a named environment, as wrangler derives it: `<name>-<env>`. */
export function environmentWorkerName(name: string, environment: string): string {
  return `${name}-${environment}`;
}

/**
 * The name of a data resource (D1 database, R2 bucket, queue) in a named environment when the
 * service does not declare its own: `<name>-<env>`, so no two environments share data. KV
 * namespaces without an id need nothing: their title already derives from the Worker name.
 */
export function environmentResourceName(name: string, environment: string): string {
  return `${name}-${environment}`;
}

/**
 * The owner tag of a named environment's scripts: `<owner>-<env>`. The reconciler lists only the
 * scripts carrying its tag, so an environment never reads another's scripts as its own.
 */
export function environmentOwnerTag(owner: string, environment: string): string {
  return `${owner}-${environment}`;
}
