import type { Action, DeploymentTarget, VersionRef } from './action.ts';
import type { PlanError, ServicePlan, Target } from './plan.ts';
import type { DesiredService } from '../state/desired.ts';
import type { ObservedScript, ObservedVersion } from '../state/observed.ts';
import { isLocalTagOf, localTag } from './local-tag.ts';
import { secretEnvName } from '../config/secret-env.ts';

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

const short = (hash: string) => hash.slice(0, 12);

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

/** Prefers the deployed version, then the newest upload. */
function pickVersion(candidates: ObservedVersion[], script: ObservedScript): ObservedVersion | undefined {
  const deployed = new Set(script.deployment.map((entry) => entry.versionId));
  return [...candidates].sort((a, b) => {
    const deployedOrder = Number(deployed.has(b.id)) - Number(deployed.has(a.id));
    return deployedOrder !== 0 ? deployedOrder : (b.number ?? 0) - (a.number ?? 0);
  })[0];
}

function sameDeployment(script: ObservedScript, wanted: DeploymentTarget[]): boolean {
  if (script.deployment.length !== wanted.length) return false;
  return wanted.every((target) => {
    if (target.version.kind !== 'existing') return false;
    const id = target.version.id;
    return script.deployment.some((entry) => entry.versionId === id && entry.percentage === target.percentage);
  });
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

/** Versions, deployment and cron triggers of one declared service. */
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

  if (!observed && !adopting) {
    if (service.rollout) {
      errors.push({
        service: name,
        file: service.rollout.source.file,
        key: service.rollout.source.key,
        message: `gradual rollout needs version ${service.rollout.stable} uploaded before, but the script does not exist yet; deploy it without a rollout first`,
      });
    }
    actions.push({
      kind: 'create-script',
      service: name,
      tag: service.version,
      hash: service.contentHash,
      secrets: [...service.secrets],
      reason: `new service, version ${service.version} (content sha256:${short(service.contentHash)})`,
    });
    if (service.crons.length > 0) {
      actions.push({ kind: 'put-schedules', service: name, crons: [...service.crons], reason: `cron triggers ${service.crons.join(', ')}` });
    }
    return { actions, errors, summary: { service: name, status: 'create', declared: service.version, tag: service.version } };
  }

  const script: ObservedScript = observed ?? { name, deployment: [], versions: [], historyListed: true };
  const deployedLabel = describeDeployment(script);
  const matches = script.versions.filter(
    (version) =>
      version.hash === service.contentHash &&
      (version.tag === service.version || (context.target === 'local' && version.tag !== undefined && isLocalTagOf(version.tag, service.version))),
  );
  const match = pickVersion(matches, script);
  const clash = script.versions.find((version) => version.tag === service.version && version.hash !== service.contentHash);

  let tag = match?.tag ?? service.version;
  if (!match && clash) {
    if (context.target === 'local') {
      tag = localTag(service.version, service.contentHash);
    } else {
      errors.push({
        service: name,
        file: service.source.packageJson,
        key: 'version',
        message:
          `version ${service.version} is already uploaded with different content ` +
          `(sha256:${short(clash.hash ?? 'unknown')}, now sha256:${short(service.contentHash)}): bump the version`,
      });
      return { actions, errors, summary: { service: name, status: 'update', declared: service.version, deployed: deployedLabel } };
    }
  }

  const secretsToSupply = missingSecrets.filter((secret) => service.suppliedSecrets.includes(secret));
  const upload = !match || secretsToSupply.length > 0 || adopting;
  if (upload) {
    const why: string[] = [];
    if (adopting) why.push(`adopting script "${name}" (it had no owner tag)`);
    if (!match && clash) why.push(`content changed without a version bump (local-only rule: tag ${tag})`);
    else if (!match) why.push(deployedLabel ? `version ${deployedLabel} → ${service.version}` : `version ${service.version}`);
    if (match && secretsToSupply.length > 0) why.push(`secret ${secretsToSupply.join(', ')} missing on the account`);
    why.push(`content sha256:${short(service.contentHash)}`);
    actions.push({ kind: 'upload-version', service: name, tag, hash: service.contentHash, secrets: secretsToSupply, reason: why.join('; ') });
  }

  const primary: VersionRef = upload || !match ? { kind: 'uploaded', service: name, tag } : { kind: 'existing', id: match.id, tag };
  const wanted: DeploymentTarget[] = [];
  let deployReason = `deploy ${tag}${deployedLabel ? ` (serving ${deployedLabel})` : ''}`;
  if (service.rollout) {
    const stable = pickVersion(
      script.versions.filter((version) => version.tag === service.rollout?.stable),
      script,
    );
    if (!stable || service.rollout.stable === service.version) {
      errors.push({
        service: name,
        file: service.rollout.source.file,
        key: service.rollout.source.key,
        message:
          service.rollout.stable === service.version
            ? `gradual rollout: the stable version must differ from the declared version ${service.version}`
            : `gradual rollout: stable version ${service.rollout.stable} was never uploaded for "${name}"`,
      });
    } else {
      wanted.push({ version: primary, percentage: service.rollout.percentage });
      wanted.push({ version: { kind: 'existing', id: stable.id, tag: service.rollout.stable }, percentage: 100 - service.rollout.percentage });
      deployReason = `gradual rollout: ${tag} ${service.rollout.percentage}% / ${service.rollout.stable} ${100 - service.rollout.percentage}%`;
    }
  } else {
    wanted.push({ version: primary, percentage: 100 });
    if (!upload && match && !script.deployment.some((entry) => entry.versionId === match.id)) {
      deployReason = `rollback to ${tag}: uploaded before${match.number !== undefined ? ` as version #${match.number}` : ''}, no upload needed`;
    }
  }

  const deploy = wanted.length > 0 && (upload || !sameDeployment(script, wanted));
  if (deploy) actions.push({ kind: 'deploy', service: name, versions: wanted, reason: deployReason });

  if (adopting) {
    actions.push({ kind: 'update-settings', service: name, tags: [context.owner], reason: `add owner tag "${context.owner}"` });
  }

  const cronsKnown = script.schedules !== undefined;
  const cronsDiffer = cronsKnown && [...(script.schedules ?? [])].sort().join('\n') !== [...service.crons].sort().join('\n');
  if (cronsDiffer || (!cronsKnown && (upload || deploy))) {
    actions.push({
      kind: 'put-schedules',
      service: name,
      crons: [...service.crons],
      reason: service.crons.length > 0 ? `cron triggers ${service.crons.join(', ')}` : 'no cron triggers declared',
    });
  }

  const status = upload ? 'update' : deploy ? 'deploy' : actions.length > 0 ? 'update' : 'unchanged';
  return { actions, errors, summary: { service: name, status, declared: service.version, deployed: deployedLabel, tag } };
}
