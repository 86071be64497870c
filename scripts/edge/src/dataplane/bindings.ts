import { miniflareBindings, type DurableObjectTarget, type MiniflareBindings } from '../../../cloudflare/bindings/index.ts';
import type { Snapshot, SnapshotBinding } from '../snapshot.ts';
import { versionWorkerName } from './dispatch-table.ts';

/** The Miniflare worker name a service binding to `script` should reach. */
export function serviceTargetName(snapshot: Snapshot, script: string): string {
  const target = snapshot.scripts.find((candidate) => candidate.name === script);
  const only = target?.versions.length === 1 ? target.versions[0] : undefined;
  // One version: bind straight to it (no hop, RPC works). Otherwise the script's entry worker splits.
  return only ? versionWorkerName(script, only.id) : script;
}

/** The version of a script that takes work only one version can do (queue consumption, named entrypoints). */
export function primaryVersionName(snapshot: Snapshot, script: string): string | undefined {
  const target = snapshot.scripts.find((candidate) => candidate.name === script);
  const primary = target?.versions.reduce((best, version) => (version.percentage > best.percentage ? version : best));
  return primary ? versionWorkerName(script, primary.id) : undefined;
}

/**
 * A version's bindings as Miniflare options, by the platform's one mapping
 * (scripts/cloudflare/bindings/miniflare.ts). Only service and Durable Object bindings are the edge's
 * own: they reach versions, not scripts — a script with one version directly, a named entrypoint or a
 * Durable Object class on the primary version.
 */
export function bindingOptionsFor(bindings: readonly SnapshotBinding[], snapshot: Snapshot, script: string): MiniflareBindings {
  return miniflareBindings(
    bindings,
    (binding) => {
      if (binding.entrypoint === undefined) return serviceTargetName(snapshot, binding.service);
      return { name: primaryVersionName(snapshot, binding.service) ?? binding.service, entrypoint: binding.entrypoint };
    },
    (binding) => durableObjectTarget(snapshot, binding.script_name ?? script, binding.class_name),
  );
}

/**
 * Where a Durable Object class runs: on the primary version of the script implementing it (every
 * version binds there, so one object never runs twice), its storage persisted under the class's
 * storage id, which survives new versions and renames (scripts/edge/src/api/durable-objects.ts).
 */
export function durableObjectTarget(snapshot: Snapshot, owner: string, className: string): DurableObjectTarget {
  const klass = snapshot.scripts.find((candidate) => candidate.name === owner)?.durableObjects.find((candidate) => candidate.className === className);
  const host = primaryVersionName(snapshot, owner);
  if (!klass || !host) {
    throw new Error(`Data plane could not apply the snapshot: Durable Object class ${className} of Worker "${owner}" is not deployed (no migration created it, or the Worker has no deployment)`);
  }
  return { className, scriptName: host, useSQLite: klass.sqlite, unsafeUniqueKey: klass.storageId };
}

/** Scripts that some service binding reaches through its entry worker (missing, or split across versions). */
export function entryWorkerScripts(snapshot: Snapshot): string[] {
  const targets = new Set<string>();
  for (const script of snapshot.scripts) {
    for (const version of script.versions) {
      for (const binding of version.bindings) {
        if (binding.type === 'service' && binding.entrypoint === undefined && serviceTargetName(snapshot, binding.service) === binding.service) {
          targets.add(binding.service);
        }
        if (binding.type === 'service' && binding.entrypoint !== undefined && primaryVersionName(snapshot, binding.service) === undefined) {
          targets.add(binding.service);
        }
      }
    }
  }
  return [...targets];
}
