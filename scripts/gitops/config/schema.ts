import * as z from 'zod';
import { Duration } from './duration.ts';

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
 * Or a health-gated rollout, advanced by `npm run rollout`:
 * `{ "stable": "1.2.0", "steps": [10, 50, 100], "interval": "5m", "maxErrorRate": 0.02, "minRequests": 200 }`
 * — apply deploys the first step; each step lasts at least `interval` and needs `minRequests`
 * requests to the new version with an error rate at most `maxErrorRate` to advance; over it, the
 * rollout goes back to `stable` by itself.
 */
const PercentageRollout = z.strictObject({
  stable: z.string().min(1),
  percentage: z.number().gt(0, 'a percentage above 0').lt(100, 'a percentage below 100'),
});

const GatedRollout = z.strictObject({
  stable: z.string().min(1),
  steps: z
    .array(z.number().int('whole percentages').gt(0, 'percentages above 0').max(100, 'percentages up to 100'))
    .min(2, 'at least two steps, such as [10, 100]')
    .refine((steps) => steps.every((step, index) => index === 0 || step > (steps[index - 1] ?? 0)), 'steps in increasing order, such as [10, 50, 100]')
    .refine((steps) => steps[steps.length - 1] === 100, 'the last step is 100'),
  interval: Duration,
  maxErrorRate: z.number().min(0, 'a rate from 0 to 1').max(1, 'a rate from 0 to 1'),
  minRequests: z.number().int().min(0),
});

export const GitopsServiceSettings = z.strictObject({
  secrets: z.array(secretName).default([]),
  rollout: z.union([PercentageRollout, GatedRollout]).optional(),
});
export type GitopsServiceSettings = z.infer<typeof GitopsServiceSettings>;
