import { errorRate, type VersionFigures } from '../api/analytics.ts';
import type { DeploymentVersion } from '../../cloudflare/api/deployments.ts';
import { gateRollbackMessage, rolloutStepMessage } from '../plan/rollout-progress.ts';
import type { RolloutGate } from '../state/desired.ts';

/** One health-gated rollout in progress, as the account records it. */
export interface RolloutInProgress {
  service: string;
  tag: string;
  stableTag: string;
  newId: string;
  stableId: string;
  gate: RolloutGate;
  /** Index in `gate.steps` of the step the deployment is at. */
  step: number;
  /** When the current step's deployment was made. */
  since: Date;
}

export type RolloutDecision =
  | { kind: 'wait'; why: string }
  | { kind: 'advance'; step: number; versions: DeploymentVersion[]; message: string }
  | { kind: 'rollback'; versions: DeploymentVersion[]; message: string };

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;

/**
 * The health gate, pure: with at least `minRequests` requests to the new version in this step, an
 * error rate over `maxErrorRate` rolls back to stable at once; otherwise the step advances once
 * `interval` has passed since it began. Anything short of that waits.
 */
export function decideRollout(rollout: RolloutInProgress, figures: VersionFigures, now: Date): RolloutDecision {
  const { gate } = rollout;
  const rate = errorRate(figures);
  const enough = figures.requests >= gate.minRequests;
  if (enough && rate > gate.maxErrorRate) {
    return { kind: 'rollback', versions: [{ version_id: rollout.stableId, percentage: 100 }], message: gateRollbackMessage(rollout.tag) };
  }
  const elapsed = now.getTime() - rollout.since.getTime();
  if (elapsed < gate.intervalMs) return { kind: 'wait', why: `the step began ${Math.floor(elapsed / 1000)}s ago; it lasts at least ${gate.intervalMs / 1000}s` };
  if (!enough) return { kind: 'wait', why: `too few requests to judge: ${figures.requests} of the ${gate.minRequests} needed` };
  const step = rollout.step + 1;
  const percentage = gate.steps[step] ?? 100;
  const versions: DeploymentVersion[] =
    percentage >= 100
      ? [{ version_id: rollout.newId, percentage: 100 }]
      : [
          { version_id: rollout.newId, percentage },
          { version_id: rollout.stableId, percentage: 100 - percentage },
        ];
  return { kind: 'advance', step, versions, message: rolloutStepMessage(rollout.tag, step, gate.steps) };
}

/** `f-users 2.0.0 step 1/3 (10%): 250 requests, 50 errors (20.0%, limit 2.0%)`. */
export function describeFigures(rollout: RolloutInProgress, figures: VersionFigures): string {
  const at = rollout.gate.steps[rollout.step] ?? 100;
  return (
    `${rollout.service} ${rollout.tag} step ${rollout.step + 1}/${rollout.gate.steps.length} (${at}%): ` +
    `${figures.requests} requests, ${figures.errors} errors (${percent(errorRate(figures))}, limit ${percent(rollout.gate.maxErrorRate)})`
  );
}
