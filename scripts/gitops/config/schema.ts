import * as z from 'zod';

/** The root `[gitops]` table's schema is the platform's, `scripts/cloudflare/gitops-settings.ts`. */

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
