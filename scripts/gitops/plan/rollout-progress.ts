import type { DeploymentTarget, VersionRef } from './action.ts';
import type { DesiredService } from '../state/desired.ts';
import type { ObservedScript } from '../state/observed.ts';

/**
 * Where a health-gated rollout stands, read from the account alone: the current deployment's
 * versions and shares, its `workers/message` annotation and its creation time. `npm run rollout`
 * writes those messages; the plan reads them so a rollout in progress is left alone and a
 * rollback by the gate is reported instead of undone.
 */

const ROLLED_BACK = /^edgeops health gate rolled back (\S+)/;

/** `workers/message` of the deployment the gate makes when it rolls `tag` back (under 50 characters). */
export function gateRollbackMessage(tag: string): string {
  return `edgeops health gate rolled back ${tag}`;
}

/** `workers/message` of a deployment the rollout runner makes for step `index` (0-based). */
export function rolloutStepMessage(tag: string, index: number, steps: number[]): string {
  return `edgeops rollout ${tag} step ${index + 1}/${steps.length}`;
}

export interface RolloutProgress {
  state: 'in-progress' | 'finished' | 'rolled-back';
  text: string;
}

export interface GatedRolloutView {
  progress: RolloutProgress;
  /** The deployment to keep (the plan must not reset it). */
  keep: DeploymentTarget[];
}

/** The version id the deployment gives `percentage`%, when it is `id`. */
function share(script: ObservedScript, id: string): number | undefined {
  return script.deployment.find((entry) => entry.versionId === id)?.percentage;
}

/**
 * A gated rollout of `primary` (an uploaded version) against `stableId`: in progress at one of its
 * steps, or rolled back by the gate (stable at 100%, the gate's message naming this tag). Undefined
 * otherwise (not started, finished, or git moved on): the plan then deploys as usual.
 */
export function gatedRolloutView(service: DesiredService, script: ObservedScript, primary: VersionRef, tag: string, stableId: string): GatedRolloutView | undefined {
  const gate = service.rollout?.gate;
  if (!gate || !service.rollout) return undefined;
  const stable: VersionRef = { kind: 'existing', id: stableId, tag: service.rollout.stable };
  const rolledBack = ROLLED_BACK.exec(script.deploymentMessage ?? '')?.[1];
  if (rolledBack === tag && share(script, stableId) === 100) {
    const on = script.deployedOn ? ` on ${script.deployedOn.slice(0, 10)}` : '';
    return {
      progress: { state: 'rolled-back', text: `version ${tag} was rolled back by the health gate${on}; fix it and declare a new version (or remove "edgeops.rollout" to force it)` },
      keep: [{ version: stable, percentage: 100 }],
    };
  }
  if (primary.kind !== 'existing') return undefined;
  const percentage = share(script, primary.id);
  if (percentage === 100 && script.deployment.length === 1) {
    return {
      progress: { state: 'finished', text: `health-gated rollout of ${tag} reached 100%; remove "edgeops.rollout" (and set "stable" next time)` },
      keep: [{ version: primary, percentage: 100 }],
    };
  }
  if (percentage === undefined || percentage === 100 || script.deployment.length !== 2 || share(script, stableId) !== 100 - percentage) return undefined;
  const index = gate.steps.indexOf(percentage);
  if (index < 0) return undefined;
  return {
    progress: { state: 'in-progress', text: `health-gated rollout of ${tag}: step ${index + 1}/${gate.steps.length} at ${percentage}% (npm run rollout advances it)` },
    keep: [
      { version: primary, percentage },
      { version: stable, percentage: 100 - percentage },
    ],
  };
}
