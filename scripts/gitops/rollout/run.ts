import { versionInvocations, type VersionFigures } from '../api/analytics.ts';
import { createDeployment } from '../api/cloudflare.ts';
import type { Session } from '../run/session.ts';
import { observeAndPlan } from '../run/session.ts';
import type { ObservedState } from '../state/observed.ts';
import type { Plan } from '../plan/plan.ts';
import { decideRollout, describeFigures, type RolloutDecision, type RolloutInProgress } from './decide.ts';

export interface RolloutOptions {
  /** The clock: step intervals and the analytics window end here (tests control it). */
  now?: () => Date;
  progress?: (line: string) => void;
}

export interface RolloutOutcome {
  service: string;
  figures: VersionFigures;
  decision: RolloutDecision;
  line: string;
}

/** The gated rollouts the account shows in progress (state lives on the account, not here). */
export function rolloutsInProgress(session: Session, plan: Plan, observed: ObservedState): RolloutInProgress[] {
  return plan.services.flatMap((summary) => {
    const service = session.desired.services.find((candidate) => candidate.name === summary.service);
    const script = observed.scripts.find((candidate) => candidate.name === summary.service);
    const gate = service?.rollout?.gate;
    if (summary.rollout?.state !== 'in-progress' || !service?.rollout || !gate || !script || !summary.tag) return [];
    const newVersion = script.versions.find((version) => version.tag === summary.tag && script.deployment.some((entry) => entry.versionId === version.id));
    const stable = script.deployment.find((entry) => entry.versionId !== newVersion?.id);
    const current = script.deployment.find((entry) => entry.versionId === newVersion?.id);
    if (!newVersion || !stable || !current || !script.deployedOn) return [];
    return [
      {
        service: service.name,
        tag: summary.tag,
        stableTag: service.rollout.stable,
        newId: newVersion.id,
        stableId: stable.versionId,
        gate,
        step: gate.steps.indexOf(current.percentage),
        since: new Date(script.deployedOn),
      },
    ];
  });
}

const VERB: Record<RolloutDecision['kind'], (rollout: RolloutInProgress, decision: RolloutDecision) => string> = {
  wait: (_rollout, decision) => `waits: ${decision.kind === 'wait' ? decision.why : ''}`,
  advance: (rollout, decision) => (decision.kind === 'advance' ? `→ step ${decision.step + 1}/${rollout.gate.steps.length} (${rollout.gate.steps[decision.step] ?? 100}%)` : ''),
  rollback: (rollout) => `over the limit → rolled back to ${rollout.stableTag} at 100%`,
};

/**
 * One pass of the rollout runner: for every health-gated rollout in progress, read the new
 * version's requests and errors since its step began, then advance it, roll it back, or leave it.
 * Each decision is one deployment; a runner that dies mid-pass resumes from the account next time.
 */
export async function runRollouts(session: Session, options: RolloutOptions = {}): Promise<RolloutOutcome[]> {
  const now = (options.now ?? (() => new Date()))();
  const { plan, observed } = await observeAndPlan(session, {});
  const outcomes: RolloutOutcome[] = [];
  for (const rollout of rolloutsInProgress(session, plan, observed)) {
    const figures = await versionInvocations(session.client, rollout.service, rollout.newId, rollout.since, now);
    const decision = decideRollout(rollout, figures, now);
    if (decision.kind !== 'wait') await createDeployment(session.client, rollout.service, decision.versions, decision.message);
    const line = `${describeFigures(rollout, figures)} ${VERB[decision.kind](rollout, decision)}`;
    options.progress?.(line);
    outcomes.push({ service: rollout.service, figures, decision, line });
  }
  return outcomes;
}
