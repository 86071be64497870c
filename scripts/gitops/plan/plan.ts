import type { Action } from './action.ts';
import type { Phase } from './action-kinds.ts';
import type { ObserveScope } from '../state/observed.ts';

export type Target = 'local' | 'cloudflare';

/** What a service's row in the plan table says overall. */
export type ServiceStatus = 'create' | 'update' | 'deploy' | 'unchanged' | 'delete';

export interface ServicePlan {
  service: string;
  status: ServiceStatus;
  /** Declared version in git (undefined for a service git no longer declares). */
  declared?: string;
  /** What is deployed now, e.g. `1.2.0` or `1.3.0 10% / 1.2.0 90%`; undefined when nothing is. */
  deployed?: string;
  /** Tag the plan uploads/deploys (the declared version, or its local prerelease). */
  tag?: string;
}

/** A problem that makes the plan unusable; names where it comes from and what to do. */
export interface PlanError {
  service?: string;
  file?: string;
  key?: string;
  message: string;
}

export interface Wave {
  phase: Phase;
  /** Service-binding depth for the dependency-ordered phases (0 = bound to by others, first). */
  level: number;
  actions: Action[];
}

export interface Plan {
  formatVersion: 1;
  target: Target;
  accountId: string;
  owner: string;
  createdAt: string;
  prune: boolean;
  adopt: boolean;
  only?: string;
  /** sha256 of the observed state the plan was made from (stale-plan detection). */
  fingerprint: string;
  /** What observe read, so apply can re-observe the same facts. */
  scope: ObserveScope;
  services: ServicePlan[];
  /** Ordered waves of actions apply will execute. */
  waves: Wave[];
  /** Removals shown but not executed (prune not enabled). */
  skipped: Action[];
  errors: PlanError[];
}

export function planActions(plan: Plan): Action[] {
  return plan.waves.flatMap((wave) => wave.actions);
}

export function hasChanges(plan: Plan): boolean {
  return plan.waves.some((wave) => wave.actions.length > 0);
}
