import type { DeploymentTarget, VersionRef } from './action.ts';
import type { PlanError } from './plan.ts';
import type { DesiredService } from '../state/desired.ts';
import type { ObservedScript } from '../state/observed.ts';
import { pickVersion } from './version-choice.ts';
import { gatedRolloutView, type RolloutProgress } from './rollout-progress.ts';

/** `1.2.0` or `1.3.0 10% / 1.2.0 90%`: what a script serves now. */
export function describeDeployment(script: ObservedScript): string | undefined {
  if (script.deployment.length === 0) return undefined;
  const label = (id: string) => {
    const version = script.versions.find((candidate) => candidate.id === id);
    return version?.tag ?? (version?.number !== undefined ? `#${version.number}` : id.slice(0, 8));
  };
  if (script.deployment.length === 1) return label(script.deployment[0]?.versionId ?? '');
  return script.deployment.map((entry) => `${label(entry.versionId)} ${entry.percentage}%`).join(' / ');
}

export function sameDeployment(script: ObservedScript, wanted: DeploymentTarget[]): boolean {
  if (script.deployment.length !== wanted.length) return false;
  return wanted.every((target) => {
    if (target.version.kind !== 'existing') return false;
    const id = target.version.id;
    return script.deployment.some((entry) => entry.versionId === id && entry.percentage === target.percentage);
  });
}

export interface WantedDeployment {
  versions: DeploymentTarget[];
  reason: string;
}

/**
 * The deployment git asks for: `primary` (the declared version) at 100%, or split with the
 * rollout's stable version. Undefined (with an error) when the rollout's stable version was never
 * uploaded.
 */
export function wantedDeployment(
  service: DesiredService,
  script: ObservedScript,
  primary: VersionRef,
  tag: string,
): { wanted?: WantedDeployment; error?: PlanError; progress?: RolloutProgress } {
  const deployedLabel = describeDeployment(script);
  if (!service.rollout) {
    return { wanted: { versions: [{ version: primary, percentage: 100 }], reason: `deploy ${tag}${deployedLabel ? ` (serving ${deployedLabel})` : ''}` } };
  }
  const rollout = service.rollout;
  const stable = stableVersion(service, rollout, script, `gradual rollout: stable version ${rollout.stable} was never uploaded for "${service.name}"`);
  if ('error' in stable) return stable;
  const gated = gatedRolloutView(service, script, primary, tag, stable.id);
  if (gated) return { wanted: { versions: gated.keep, reason: gated.progress.text }, progress: gated.progress };
  return {
    wanted: {
      versions: [
        { version: primary, percentage: rollout.percentage },
        { version: { kind: 'existing', id: stable.id, tag: rollout.stable }, percentage: 100 - rollout.percentage },
      ],
      reason: `gradual rollout: ${tag} ${rollout.percentage}% / ${rollout.stable} ${100 - rollout.percentage}%${rollout.gate ? ` (health-gated: step 1/${rollout.gate.steps.length})` : ''}`,
    },
  };
}

/** The rollout's stable version as uploaded on the account, or the plan error `missing` says. */
function stableVersion(
  service: DesiredService,
  rollout: NonNullable<DesiredService['rollout']>,
  script: ObservedScript,
  missing: string,
): { id: string } | { error: PlanError } {
  const stable = pickVersion(
    script.versions.filter((version) => version.tag === rollout.stable),
    script,
  );
  if (stable) return { id: stable.id };
  return { error: { service: service.name, file: rollout.source.file, key: rollout.source.key, message: missing } };
}

/**
 * An aborted rollout: `version` set back to the rollout's `stable` one (the `rollout` key kept).
 * The stable version, as it was uploaded, goes back to 100%; the code in git is not uploaded (it is
 * the aborted one until it is reverted). Undefined when the service is not aborting a rollout.
 */
export function abortedRollout(service: DesiredService, script: ObservedScript): { wanted?: WantedDeployment; error?: PlanError } | undefined {
  const rollout = service.rollout;
  if (!rollout || rollout.stable !== service.version) return undefined;
  const stable = stableVersion(
    service,
    rollout,
    script,
    `rollout aborted back to ${rollout.stable}, but ${rollout.stable} was never uploaded for "${service.name}"; \`git revert\` the commit that started the rollout`,
  );
  if ('error' in stable) return stable;
  const deployedLabel = describeDeployment(script);
  return {
    wanted: {
      versions: [{ version: { kind: 'existing', id: stable.id, tag: rollout.stable }, percentage: 100 }],
      reason:
        `rollout aborted: stable ${rollout.stable} back to 100%${deployedLabel ? ` (serving ${deployedLabel})` : ''}, as uploaded before, no upload; ` +
        `then revert the code and remove "edgeops.rollout"`,
    },
  };
}
