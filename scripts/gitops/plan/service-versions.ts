import type { Action, VersionRef } from './action.ts';
import type { PlanError, ServicePlan, Target } from './plan.ts';
import type { DesiredService } from '../state/desired.ts';
import type { ObservedScript } from '../state/observed.ts';
import { secretEnvName } from '../config/secret-env.ts';
import { planCrons } from './crons.ts';
import { abortedRollout, describeDeployment, sameDeployment, wantedDeployment } from './deployment.ts';
import type { RolloutProgress } from './rollout-progress.ts';
import { chooseVersion, short } from './version-choice.ts';

export interface ServiceContext {
  target: Target;
  owner: string;
  adopt: boolean;
  /** Names of scripts on the account without the owner tag. */
  foreign: Set<string>;
}

export interface ServiceOutcome {
  actions: Action[];
  errors: PlanError[];
  summary: ServicePlan;
}

function missingSecretErrors(service: DesiredService, missing: string[]): PlanError[] {
  return missing
    .filter((name) => !service.suppliedSecrets.includes(name))
    .map((name) => ({
      service: service.name,
      file: service.source.packageJson,
      key: 'edgeops.secrets',
      message:
        `secret "${name}" is declared but missing on the account and not supplied: ` +
        `set ${secretEnvName(service.name, name)} in the environment`,
    }));
}

/** A service git declares that the account does not have yet: create the script (and its crons). */
function planNewService(service: DesiredService, errors: PlanError[]): ServiceOutcome {
  if (service.rollout) {
    errors.push({
      service: service.name,
      file: service.rollout.source.file,
      key: service.rollout.source.key,
      message: `gradual rollout needs version ${service.rollout.stable} uploaded before, but the script does not exist yet; deploy it without a rollout first`,
    });
  }
  const actions: Action[] = [
    {
      kind: 'create-script',
      service: service.name,
      tag: service.version,
      hash: service.contentHash,
      secrets: [...service.secrets],
      reason: `new service, version ${service.version} (content sha256:${short(service.contentHash)})`,
    },
  ];
  if (service.crons.length > 0) {
    actions.push({ kind: 'put-schedules', service: service.name, crons: [...service.crons], reason: `cron triggers ${service.crons.join(', ')}` });
  }
  return { actions, errors, summary: { service: service.name, status: 'create', declared: service.version, tag: service.version } };
}

/**
 * Versions, deployment and cron triggers of one declared service: which version serves git's
 * (plan/version-choice.ts), the deployment it gets (plan/deployment.ts), its crons (plan/crons.ts).
 */
export function planServiceVersions(service: DesiredService, observed: ObservedScript | undefined, context: ServiceContext): ServiceOutcome {
  const errors: PlanError[] = [];
  const actions: Action[] = [];
  const name = service.name;
  const adopting = !observed && context.foreign.has(name);

  if (adopting && !context.adopt) {
    errors.push({
      service: name,
      file: service.source.config,
      key: 'name',
      message:
        `a script named "${name}" exists on the account without the owner tag "${context.owner}"; ` +
        `rename the service or re-run with --adopt to take it over`,
    });
    return { actions, errors, summary: { service: name, status: 'create', declared: service.version } };
  }

  const haveSecrets = observed?.secrets ?? [];
  const missingSecrets = observed || adopting ? service.secrets.filter((secret) => !haveSecrets.includes(secret)) : service.secrets;
  errors.push(...missingSecretErrors(service, missingSecrets));
  if (!observed && !adopting) return planNewService(service, errors);

  const script: ObservedScript = observed ?? { name, deployment: [], versions: [], historyListed: true };
  const deployedLabel = describeDeployment(script);
  const aborted = abortedRollout(service, script);
  const choice = aborted ? undefined : chooseVersion(service, script, context.target);
  if (choice?.kind === 'refused') {
    errors.push(choice.error);
    return { actions, errors, summary: { service: name, status: 'update', declared: service.version, deployed: deployedLabel } };
  }

  const secretsToSupply = missingSecrets.filter((secret) => service.suppliedSecrets.includes(secret));
  const upload = choice !== undefined && (choice.kind === 'upload' || secretsToSupply.length > 0 || adopting);
  const tag = choice?.tag ?? service.version;
  if (upload) {
    const why: string[] = [];
    if (adopting) why.push(`adopting script "${name}" (it had no owner tag)`);
    if (choice.kind === 'upload' && choice.localRule) why.push(`content changed without a version bump (local-only rule: tag ${tag})`);
    else if (choice.kind === 'upload') why.push(deployedLabel ? `version ${deployedLabel} → ${service.version}` : `version ${service.version}`);
    if (choice.kind === 'existing' && secretsToSupply.length > 0) why.push(`secret ${secretsToSupply.join(', ')} missing on the account`);
    why.push(`content sha256:${short(service.contentHash)}`);
    actions.push({ kind: 'upload-version', service: name, tag, hash: service.contentHash, secrets: secretsToSupply, reason: why.join('; ') });
  }

  let deployment = aborted;
  if (choice) {
    const primary: VersionRef = upload || choice.kind !== 'existing' ? { kind: 'uploaded', service: name, tag } : { kind: 'existing', id: choice.version.id, tag };
    deployment = wantedDeployment(service, script, primary, tag);
    const rollback = !service.rollout && choice.kind === 'existing' && !upload && !script.deployment.some((entry) => entry.versionId === choice.version.id);
    if (deployment.wanted && rollback) {
      const number = choice.version.number !== undefined ? ` as version #${choice.version.number}` : '';
      deployment = { wanted: { ...deployment.wanted, reason: `rollback to ${tag}: uploaded before${number}, no upload needed` } };
    }
  }
  if (deployment?.error) errors.push(deployment.error);
  const wanted = deployment?.wanted;
  const deploy = wanted !== undefined && (upload || !sameDeployment(script, wanted.versions));
  if (wanted && deploy) actions.push({ kind: 'deploy', service: name, versions: wanted.versions, reason: wanted.reason });

  if (adopting) {
    actions.push({ kind: 'update-settings', service: name, tags: [context.owner], reason: `add owner tag "${context.owner}"` });
  }
  const crons = planCrons(service, observed, adopting);
  if (crons) actions.push(crons);

  const status = upload ? 'update' : deploy ? 'deploy' : actions.length > 0 ? 'update' : 'unchanged';
  const rollout: RolloutProgress | undefined = deployment && 'progress' in deployment ? (deployment.progress as RolloutProgress | undefined) : undefined;
  return { actions, errors, summary: { service: name, status, declared: service.version, deployed: deployedLabel, tag, ...(rollout ? { rollout } : {}) } };
}
