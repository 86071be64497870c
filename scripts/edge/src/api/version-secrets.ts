/**
 * Secrets belong to versions, as on Cloudflare: `secret put`/`secret delete` make a new version
 * (a copy of the version serving all traffic, with the secret changed; refused with 10215 while a
 * split deployment serves) and deploy it at 100% with
 * `workers/triggered_by: secret` ("Secret Change" in `wrangler deployments list`);
 * `versions secret put` makes the version without deploying it, so the serving version does not see
 * the secret until it is deployed. Sources: https://developers.cloudflare.com/workers/configuration/secrets/
 * and …/versions-and-deployments/ ("secret changes create a new version"); wrangler
 * `versions/secrets/index.ts`, `versions/deployments/list.ts` (`formatTrigger`).
 */
import type { EdgeState } from '../store/state.ts';
import { currentDeployment } from '../build-snapshot.ts';
import { uuid } from '../store/ids.ts';
import { versionSecrets, type VersionRecord, type VersionSecret } from '../store/versions.ts';
import { fail } from './errors.ts';
import { addDeployment, versionAnnotations } from './versioning.ts';

/** Secret name → new value, or `null` to remove it. */
export type SecretChanges = Readonly<Record<string, string | null>>;

export function applySecretChanges(secrets: readonly VersionSecret[], changes: SecretChanges): VersionSecret[] {
  const byName = new Map(secrets.map((secret) => [secret.name, secret.text]));
  for (const [name, text] of Object.entries(changes)) {
    if (text === null) byName.delete(name);
    else byName.set(name, text);
  }
  return [...byName].map(([name, text]) => ({ name, text }));
}

export interface SecretVersionOptions {
  source: string;
  annotations?: Readonly<Record<string, string>>;
}

/** The newest version of `script` (`versions secret put` builds on it). */
export function newestVersion(state: Readonly<EdgeState>, script: string): VersionRecord {
  return state.versions.findLast((version) => version.script === script) ?? fail('noVersions', `There are no uploaded versions of Worker ${script}; upload a version before changing a secret`);
}

/** The version serving all of `script`'s traffic (`secret put` builds on it); none while a split deployment serves. */
export function servingVersion(state: Readonly<EdgeState>, script: string): VersionRecord {
  const deployment = currentDeployment(state, script);
  if (deployment === undefined) return newestVersion(state, script);
  const [only, ...others] = deployment.versions;
  if (only === undefined || others.length > 0) fail('versionNotDeployed', `Worker ${script} is serving a split deployment; deploy one version to 100% before changing a secret with \`secret put\` (or use \`versions secret put\`)`);
  return state.versions.find((version) => version.id === only.version_id) ?? fail('versionNotFound', `Version ${only.version_id} of Worker ${script} was not found`);
}

/** A new version of `script`: `base` with `changes` applied to its secrets. */
export function addSecretVersion(draft: EdgeState, base: VersionRecord, changes: SecretChanges, options: SecretVersionOptions): VersionRecord {
  const newest = newestVersion(draft, base.script);
  const version: VersionRecord = {
    ...base,
    id: uuid(),
    number: newest.number + 1,
    createdOn: new Date().toISOString(),
    source: options.source,
    annotations: versionAnnotations(options.annotations, 'secret'),
    secrets: applySecretChanges(versionSecrets(draft, base), changes),
  };
  draft.versions.push(version);
  return version;
}

/** `secret put` / `secret delete`: the new version, deployed to all traffic. */
export function deploySecretChange(draft: EdgeState, script: string, changes: SecretChanges, source: string): VersionRecord {
  const version = addSecretVersion(draft, servingVersion(draft, script), changes, { source });
  addDeployment(draft, script, { versions: [{ version_id: version.id, percentage: 100 }], triggeredBy: 'secret', source });
  return version;
}
