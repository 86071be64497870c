import * as z from 'zod';

/**
 * The root `wrangler.toml` `[gitops]` table: settings of the whole fleet, read by every tool
 * through this one schema (the fleet loader parses it with the rest of the root config).
 * Wrangler never reads the root file from inside a service folder, so the table is safe there.
 *
 * ```toml
 * [gitops]
 * owner = "edgeops"   # owner tag every managed script carries (script `tags`)
 * prune = false       # true = remove services git no longer declares without --prune
 * concurrency = 8     # API calls in flight at once
 * zones = ["example.com"]  # optional: only these zones' routes are read and managed
 * environment = "production"  # the top-level environment's name, the default of --env
 * ```
 */
export const GitopsSettings = z.strictObject({
  owner: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-_]{0,62}$/, 'an owner tag: lowercase letters, digits, - and _ (at most 63 characters)')
    .default('edgeops'),
  prune: z.boolean().default(false),
  concurrency: z.number().int().min(1).max(32).default(8),
  /** Zones the fleet's routes live in; when set, only these zones' routes are read and managed. */
  zones: z.array(z.string().min(1)).optional(),
  /** The top-level environment's name (names as written), what `--env` defaults to: see environments.ts (absent: production). */
  environment: z.string().regex(/^[a-z0-9][a-z0-9-]{0,30}$/, 'an environment name: lowercase letters, digits and -').optional(),
});
export type GitopsSettings = z.infer<typeof GitopsSettings>;

/** The `[gitops]` table as the root config holds it: absent means every default. */
export const GitopsTable = GitopsSettings.prefault({});

