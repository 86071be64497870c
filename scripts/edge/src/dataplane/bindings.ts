import type { WorkerOptions } from 'miniflare';
import type { Snapshot, SnapshotBinding } from '../snapshot.ts';
import { versionWorkerName } from './dispatch-table.ts';

/** Miniflare's options for one version's bindings, filled in binding by binding. */
export interface BindingOptions {
  bindings: Record<string, unknown>;
  kvNamespaces: Record<string, string>;
  d1Databases: Record<string, string>;
  r2Buckets: Record<string, string>;
  queueProducers: Record<string, { queueName: string }>;
  serviceBindings: Record<string, string | { name: string; entrypoint?: string }>;
}

export function emptyBindingOptions(): BindingOptions {
  return { bindings: {}, kvNamespaces: {}, d1Databases: {}, r2Buckets: {}, queueProducers: {}, serviceBindings: {} };
}

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

type BindingOf<T extends SnapshotBinding['type']> = Extract<SnapshotBinding, { type: T }>;
type BindingApplier<T extends SnapshotBinding['type']> = (binding: BindingOf<T>, options: BindingOptions, snapshot: Snapshot) => void;

/** How each upload-metadata binding type becomes Miniflare options. */
const BINDING_APPLIERS: { [T in SnapshotBinding['type']]: BindingApplier<T> } = {
  plain_text: (binding, options) => {
    options.bindings[binding.name] = binding.text;
  },
  secret_text: (binding, options) => {
    options.bindings[binding.name] = binding.text;
  },
  json: (binding, options) => {
    options.bindings[binding.name] = binding.json;
  },
  kv_namespace: (binding, options) => {
    options.kvNamespaces[binding.name] = binding.namespace_id;
  },
  d1: (binding, options) => {
    options.d1Databases[binding.name] = binding.id;
  },
  r2_bucket: (binding, options) => {
    options.r2Buckets[binding.name] = binding.bucket_name;
  },
  queue: (binding, options) => {
    options.queueProducers[binding.name] = { queueName: binding.queue_name };
  },
  service: (binding, options, snapshot) => {
    if (binding.entrypoint !== undefined) {
      const primary = primaryVersionName(snapshot, binding.service);
      options.serviceBindings[binding.name] = { name: primary ?? binding.service, entrypoint: binding.entrypoint };
      return;
    }
    options.serviceBindings[binding.name] = serviceTargetName(snapshot, binding.service);
  },
};

function applyBinding<T extends SnapshotBinding['type']>(binding: BindingOf<T>, options: BindingOptions, snapshot: Snapshot): void {
  const applier = BINDING_APPLIERS[binding.type] as BindingApplier<T>;
  applier(binding, options, snapshot);
}

export function bindingOptionsFor(bindings: readonly SnapshotBinding[], snapshot: Snapshot): Partial<WorkerOptions> & BindingOptions {
  const options = emptyBindingOptions();
  for (const binding of bindings) applyBinding(binding, options, snapshot);
  return options;
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
