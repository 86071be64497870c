import { z } from 'zod';

/**
 * The root `wrangler.toml` `[gitops]` table: settings of the whole fleet.
 * Wrangler never reads the root file from inside a service folder, so the table is safe there.
 *
 * ```toml
 * [gitops]
 * owner = "edgeops"   # owner tag every managed script carries (script `tags`)
 * prune = false       # true = remove services git no longer declares without --prune
 * concurrency = 8     # API calls in flight at once
 * zones = ["example.com"]  # optional: only these zones' routes are read and managed
 * ```
 */
export const GitopsRootSettings = z.strictObject({
  owner: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-_]{0,62}$/, 'an owner tag: lowercase letters, digits, - and _ (at most 63 characters)')
    .default('edgeops'),
  prune: z.boolean().default(false),
  concurrency: z.number().int().min(1).max(32).default(8),
  /** Zones the fleet's routes live in; when set, only these zones' routes are read and managed. */
  zones: z.array(z.string().min(1)).optional(),
});
export type GitopsRootSettings = z.infer<typeof GitopsRootSettings>;

const secretName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a secret name: letters, digits and _, not starting with a digit');

/**
 * A service's `package.json` `"edgeops"` key: what only the reconciler needs. Wrangler ignores
 * package.json keys, so `wrangler dev` in the folder keeps working.
 *
 * ```json
 * "edgeops": {
 *   "secrets": ["API_KEY"],
 *   "rollout": { "stable": "1.2.0", "percentage": 10 }
 * }
 * ```
 * `rollout`: the declared `version` serves `percentage`% of the traffic, `stable` (an earlier,
 * already uploaded version) the rest. Remove the key to finish the rollout at 100%.
 */
export const GitopsServiceSettings = z.strictObject({
  secrets: z.array(secretName).default([]),
  rollout: z
    .strictObject({
      stable: z.string().min(1),
      percentage: z.number().gt(0, 'a percentage above 0').lt(100, 'a percentage below 100'),
    })
    .optional(),
});
export type GitopsServiceSettings = z.infer<typeof GitopsServiceSettings>;
