/**
 * Turns the control plane's state into the data plane's `Snapshot`: every script with a current
 * deployment, its deployed versions (modules read from blobs, secrets merged into bindings), and
 * the account's routes, custom domains and queue consumers.
 */
import type { Snapshot, SnapshotBinding, SnapshotScript, SnapshotVersion } from './snapshot.ts';
import type { BlobStore } from './store/blobs.ts';
import type { DeploymentRecord } from './store/deployments.ts';
import type { EdgeState } from './store/state.ts';
import type { StoredBinding, VersionRecord } from './store/versions.ts';

/** The binding types the data plane runs, and how each maps from stored metadata. */
const BINDING_MAPPERS: Readonly<Record<string, (binding: StoredBinding) => SnapshotBinding>> = {
  plain_text: (b) => ({ type: 'plain_text', name: b.name, text: String(b.text ?? '') }),
  json: (b) => ({ type: 'json', name: b.name, json: b.json }),
  kv_namespace: (b) => ({ type: 'kv_namespace', name: b.name, namespace_id: String(b.namespace_id) }),
  d1: (b) => ({ type: 'd1', name: b.name, id: String(b.id) }),
  r2_bucket: (b) => ({ type: 'r2_bucket', name: b.name, bucket_name: String(b.bucket_name) }),
  queue: (b) => ({ type: 'queue', name: b.name, queue_name: String(b.queue_name) }),
  service: (b) => ({
    type: 'service',
    name: b.name,
    service: String(b.service),
    ...(typeof b.environment === 'string' ? { environment: b.environment } : {}),
    ...(typeof b.entrypoint === 'string' ? { entrypoint: b.entrypoint } : {}),
  }),
};

export const SUPPORTED_BINDING_TYPES: readonly string[] = [...Object.keys(BINDING_MAPPERS), 'secret_text'];

/** The script's current deployment: the newest one (deployments are kept in creation order). */
export function currentDeployment(state: Readonly<EdgeState>, script: string): DeploymentRecord | undefined {
  for (let index = state.deployments.length - 1; index >= 0; index -= 1) {
    const deployment = state.deployments[index];
    if (deployment?.script === script) return deployment;
  }
  return undefined;
}

async function snapshotVersion(state: Readonly<EdgeState>, blobs: BlobStore, version: VersionRecord, percentage: number): Promise<SnapshotVersion> {
  const modules = await Promise.all(version.modules.map(async (module) => ({ name: module.name, type: module.type, contents: await blobs.get(module.hash) })));
  const bindings: SnapshotBinding[] = [];
  for (const binding of version.bindings) {
    const mapper = BINDING_MAPPERS[binding.type];
    if (mapper) bindings.push(mapper(binding));
  }
  for (const secret of state.secrets) {
    if (secret.script === version.script) bindings.push({ type: 'secret_text', name: secret.name, text: secret.text });
  }
  return {
    id: version.id,
    percentage,
    mainModule: version.mainModule,
    modules,
    compatibilityDate: version.compatibilityDate,
    compatibilityFlags: version.compatibilityFlags,
    bindings,
  };
}

export async function buildSnapshot(state: Readonly<EdgeState>, blobs: BlobStore): Promise<Snapshot> {
  const scripts: SnapshotScript[] = [];
  for (const script of state.scripts) {
    const deployment = currentDeployment(state, script.name);
    if (!deployment) continue;
    const versions: SnapshotVersion[] = [];
    for (const { version_id, percentage } of deployment.versions) {
      const version = state.versions.find((candidate) => candidate.id === version_id);
      if (version) versions.push(await snapshotVersion(state, blobs, version, percentage));
    }
    scripts.push({ name: script.name, versions, schedules: script.schedules.map((schedule) => schedule.cron), workersDev: script.workersDev });
  }
  const zoneNames = new Map(state.zones.map((zone) => [zone.id, zone.name]));
  return {
    accountId: state.account.id,
    subdomain: state.account.subdomain,
    scripts,
    routes: state.routes.map((route) => ({ zoneName: zoneNames.get(route.zoneId) ?? '', pattern: route.pattern, ...(route.script ? { script: route.script } : {}) })),
    customDomains: state.domains.map((domain) => ({ hostname: domain.hostname, script: domain.service })),
    queueConsumers: state.queues.flatMap((queue) =>
      queue.consumers
        .filter((consumer) => consumer.type === 'worker' && consumer.script !== undefined)
        .map((consumer) => ({
          queueName: queue.queue_name,
          script: consumer.script ?? '',
          ...(consumer.settings.batch_size !== undefined ? { maxBatchSize: consumer.settings.batch_size } : {}),
          ...(consumer.settings.max_wait_time_ms !== undefined ? { maxBatchTimeoutSeconds: consumer.settings.max_wait_time_ms / 1000 } : {}),
          ...(consumer.settings.max_retries !== undefined ? { maxRetries: consumer.settings.max_retries } : {}),
          ...(consumer.dead_letter_queue !== undefined ? { deadLetterQueue: consumer.dead_letter_queue } : {}),
        })),
    ),
  };
}

/**
 * Everything the snapshot of `state` depends on, as a string: versions are immutable, so their ids
 * stand for their modules and bindings. Equal fingerprints mean equal snapshots, so the edge can
 * skip handing the data plane a snapshot it already runs (e.g. after a tags-only change).
 */
export function snapshotFingerprint(state: Readonly<EdgeState>): string {
  return JSON.stringify({
    account: [state.account.id, state.account.subdomain],
    scripts: state.scripts.map((script) => [script.name, currentDeployment(state, script.name)?.versions ?? null, script.schedules.map((schedule) => schedule.cron), script.workersDev]),
    secrets: state.secrets,
    routes: state.routes.map((route) => [route.zoneId, route.pattern, route.script ?? null]),
    zones: state.zones.map((zone) => [zone.id, zone.name]),
    domains: state.domains.map((domain) => [domain.hostname, domain.service]),
    consumers: state.queues.map((queue) => [queue.queue_name, queue.consumers]),
  });
}
