import { miniflareBindings, type MiniflareBindings } from '../../../cloudflare/bindings/index.ts';
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
 * (scripts/cloudflare/bindings/miniflare.ts). Only service bindings are the edge's own: they reach
 * versions, not scripts — a script with one version directly, a named entrypoint on the primary version.
 */
export function bindingOptionsFor(bindings: readonly SnapshotBinding[], snapshot: Snapshot): MiniflareBindings {
  return miniflareBindings(bindings, (binding) => {
    if (binding.entrypoint === undefined) return serviceTargetName(snapshot, binding.service);
    return { name: primaryVersionName(snapshot, binding.service) ?? binding.service, entrypoint: binding.entrypoint };
  });
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
