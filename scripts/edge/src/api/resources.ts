/** How records are shown through the API (the JSON shapes Cloudflare answers with). */
import type { Deployment } from '../../../cloudflare/api/deployments.ts';
import { currentDeployment } from '../build-snapshot.ts';
import type { DeploymentRecord } from '../store/deployments.ts';
import type { EdgeState } from '../store/state.ts';
import type { ScriptRecord } from '../store/scripts.ts';
import { versionSecrets, type StoredBinding, type VersionRecord } from '../store/versions.ts';

/** Version bindings as the API shows them: secret values never leave the edge. */
export function publicBindings(state: Readonly<EdgeState>, version: VersionRecord): StoredBinding[] {
  const secrets = versionSecrets(state, version).map((secret) => ({ type: 'secret_text', name: secret.name }));
  return [...version.bindings, ...secrets];
}

function latestVersion(state: Readonly<EdgeState>, script: string): VersionRecord | undefined {
  const deployment = currentDeployment(state, script);
  const first = deployment?.versions[0];
  return state.versions.find((version) => version.id === first?.version_id) ?? state.versions.findLast((version) => version.script === script);
}

export function scriptResource(state: Readonly<EdgeState>, script: ScriptRecord): Record<string, unknown> {
  const version = latestVersion(state, script.name);
  return {
    id: script.name,
    tag: script.tag,
    tags: script.tags,
    etag: version?.etag ?? '',
    handlers: version?.handlers ?? [],
    created_on: script.createdOn,
    modified_on: script.modifiedOn,
    logpush: script.logpush,
    tail_consumers: script.tailConsumers,
    usage_model: 'bundled',
    compatibility_date: version?.compatibilityDate ?? '',
    compatibility_flags: version?.compatibilityFlags ?? [],
    has_assets: false,
    has_modules: true,
    last_deployed_from: script.lastDeployedFrom,
    observability: script.observability ?? { enabled: false },
    // Not in the OpenAPI extract's script schema; Cloudflare returns it and wrangler reads it from
    // this list to choose the migrations to upload (packages/wrangler/src/durable.ts).
    ...(script.migrationTag !== undefined ? { migration_tag: script.migrationTag } : {}),
  };
}

export function versionResource(state: Readonly<EdgeState>, version: VersionRecord, script: ScriptRecord | undefined): Record<string, unknown> {
  return {
    ...versionHeader(version, state.account.id),
    resources: {
      bindings: publicBindings(state, version),
      script: { etag: version.etag, handlers: version.handlers, last_deployed_from: script?.lastDeployedFrom ?? version.source },
      script_runtime: { compatibility_date: version.compatibilityDate, compatibility_flags: version.compatibilityFlags, usage_model: 'bundled', limits: {} },
    },
    startup_time_ms: version.startupTimeMs,
  };
}

export function versionSummary(version: VersionRecord): Record<string, unknown> {
  return versionHeader(version, '');
}

/** What a version's detail and its list entry share: id, number, metadata and annotations. */
function versionHeader(version: VersionRecord, authorId: string): Record<string, unknown> {
  return {
    id: version.id,
    number: version.number,
    metadata: {
      author_email: version.authorEmail,
      author_id: authorId,
      created_on: version.createdOn,
      modified_on: version.createdOn,
      source: version.source,
      has_preview: false,
      hasPreview: false,
    },
    annotations: version.annotations,
  };
}

export function deploymentResource(deployment: DeploymentRecord): Deployment {
  return {
    id: deployment.id,
    source: deployment.source,
    strategy: deployment.strategy,
    author_email: deployment.authorEmail,
    created_on: deployment.createdOn,
    annotations: deployment.annotations,
    versions: deployment.versions,
  };
}
