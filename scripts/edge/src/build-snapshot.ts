/**
 * Turns the control plane's state into the data plane's `Snapshot`: every script with a current
 * deployment, its deployed versions (modules read from blobs, secrets merged into bindings), and
 * the account's routes, custom domains and queue consumers.
 */
import { UploadBinding } from '../../cloudflare/bindings/index.ts';
import { QueueConsumerSettings } from '../../cloudflare/queue-consumer.ts';
import type { Snapshot, SnapshotBinding, SnapshotScript, SnapshotVersion } from './snapshot.ts';
import type { BlobStore } from './store/blobs.ts';
import type { DeploymentRecord } from './store/deployments.ts';
import type { EdgeState } from './store/state.ts';
import { versionSecrets, type VersionRecord } from './store/versions.ts';

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
  for (const stored of version.bindings) {
    // The API accepted only binding types the data plane runs (api/versioning.ts); anything else is skipped.
    const binding = UploadBinding.safeParse(stored);
    if (binding.success) bindings.push(binding.data);
  }
  for (const secret of versionSecrets(state, version)) bindings.push({ type: 'secret_text', name: secret.name, text: secret.text });
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
    scripts.push({ name: script.name, versions, schedules: script.schedules.map((schedule) => schedule.cron), workersDev: script.workersDev, durableObjects: script.durableObjectClasses ?? [] });
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
          settings: QueueConsumerSettings.parse(consumer.settings),
          ...(consumer.dead_letter_queue !== undefined ? { deadLetterQueue: consumer.dead_letter_queue } : {}),
        })),
    ),
    d1Databases: state.d1Databases.map((database) => database.uuid),
    kvNamespaces: state.kvNamespaces.map((namespace) => namespace.id),
    r2Buckets: state.r2Buckets.map((bucket) => bucket.name),
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
    scripts: state.scripts.map((script) => [script.name, currentDeployment(state, script.name)?.versions ?? null, script.schedules.map((schedule) => schedule.cron), script.workersDev, script.durableObjectClasses ?? []]),
    secrets: state.secrets,
    routes: state.routes.map((route) => [route.zoneId, route.pattern, route.script ?? null]),
    zones: state.zones.map((zone) => [zone.id, zone.name]),
    domains: state.domains.map((domain) => [domain.hostname, domain.service]),
    consumers: state.queues.map((queue) => [queue.queue_name, queue.consumers]),
    d1: state.d1Databases.map((database) => database.uuid),
    kvNamespaces: state.kvNamespaces.map((namespace) => namespace.id),
    r2Buckets: state.r2Buckets.map((bucket) => bucket.name),
  });
}
