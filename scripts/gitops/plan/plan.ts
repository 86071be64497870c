import * as z from 'zod';
import { actionSchema, type Action } from './action.ts';
import { PHASES } from './action-kinds.ts';
import { observeScopeSchema } from '../state/observed.ts';

/**
 * The plan as a zod schema, the one definition of its shape: the types below are inferred from
 * it, `--json`/`--out` write it, and `apply --plan` parses a saved file with it (a corrupted or
 * hand-edited file is refused with the field that is wrong, before any API call).
 */

export const targetSchema = z.enum(['local', 'cloudflare']);
export type Target = z.infer<typeof targetSchema>;

/** What a service's row in the plan table says overall (`delete`: a managed script git no longer declares, an orphan). */
export const serviceStatusSchema = z.enum(['create', 'update', 'deploy', 'unchanged', 'delete']);
export type ServiceStatus = z.infer<typeof serviceStatusSchema>;

export const servicePlanSchema = z.object({
  service: z.string().min(1),
  status: serviceStatusSchema,
  /** Declared version in git (undefined for a service git no longer declares). */
  declared: z.string().optional(),
  /** What is deployed now, e.g. `1.2.0` or `1.3.0 10% / 1.2.0 90%`; undefined when nothing is. */
  deployed: z.string().optional(),
  /** Tag the plan uploads/deploys (the declared version, or its local prerelease). */
  tag: z.string().optional(),
  /** A health-gated rollout's progress, as the account records it. */
  rollout: z.object({ state: z.enum(['in-progress', 'finished', 'rolled-back']), text: z.string() }).optional(),
});
export type ServicePlan = z.infer<typeof servicePlanSchema>;

/** A problem that makes the plan unusable; names where it comes from and what to do. */
export const planErrorSchema = z.object({
  service: z.string().optional(),
  file: z.string().optional(),
  key: z.string().optional(),
  message: z.string(),
});
export type PlanError = z.infer<typeof planErrorSchema>;

export const waveSchema = z.object({
  phase: z.enum(PHASES),
  /** Service-binding depth for the dependency-ordered phases (0 = bound to by others, first). */
  level: z.number().int().min(0),
  actions: z.array(actionSchema),
});
export type Wave = z.infer<typeof waveSchema>;

export const planSchema = z.object({
  formatVersion: z.literal(1),
  target: targetSchema,
  accountId: z.string().min(1),
  owner: z.string().min(1),
  createdAt: z.string(),
  prune: z.boolean(),
  adopt: z.boolean(),
  only: z.string().optional(),
  /** Made with `--allow-data-loss`: Durable Object `deleted_classes` migrations were allowed. */
  allowDataLoss: z.boolean().optional(),
  /** sha256 of the observed state the plan was made from (stale-plan detection). */
  fingerprint: z.string().min(1),
  /** What observe read, so apply can re-observe the same facts. */
  scope: observeScopeSchema,
  services: z.array(servicePlanSchema),
  /** Ordered waves of actions apply will execute. */
  waves: z.array(waveSchema),
  /** Removals shown but not executed (prune not enabled): orphans git no longer declares. */
  skipped: z.array(actionSchema),
  errors: z.array(planErrorSchema),
});
export type Plan = z.infer<typeof planSchema>;

export function planActions(plan: Plan): Action[] {
  return plan.waves.flatMap((wave) => wave.actions);
}

export function hasChanges(plan: Plan): boolean {
  return plan.waves.some((wave) => wave.actions.length > 0);
}

/**
 * Changes apply would make, removals only prune would make (orphans), or a version the health gate
 * rolled back (git still declares it): plan exits 2 for any, so the drift report names them.
 */
export function hasDifferences(plan: Plan): boolean {
  return hasChanges(plan) || plan.skipped.length > 0 || plan.services.some((service) => service.rollout?.state === 'rolled-back');
}
