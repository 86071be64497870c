/**
 * Upload-metadata bindings → Miniflare worker options, one entry per binding type (Miniflare's
 * `WorkerOptions`: `bindings`, `kvNamespaces`, `d1Databases`, `r2Buckets`, `queueProducers`,
 * `serviceBindings`, `durableObjects`). Both local runtimes use it: `npm run dev` (through the config mapping) and
 * the edge's data plane (from what was uploaded).
 */
import type { BindingOf, BindingType, DeclaredBinding } from './upload.ts';

/** A service binding's Miniflare target: a worker name, or a worker and its named entrypoint. */
export type ServiceTarget = string | { name: string; entrypoint?: string };

/** Miniflare's binding options for one worker, filled in binding by binding. */
export interface MiniflareBindings {
  bindings: Record<string, unknown>;
  kvNamespaces: Record<string, string>;
  d1Databases: Record<string, string>;
  r2Buckets: Record<string, string>;
  queueProducers: Record<string, { queueName: string }>;
  serviceBindings: Record<string, ServiceTarget>;
  durableObjects: Record<string, DurableObjectTarget>;
}

/**
 * A Durable Object binding's Miniflare designator: the class, the worker that implements it
 * (absent: this one), its storage backend and the key its storage is persisted under.
 */
export interface DurableObjectTarget {
  className: string;
  scriptName?: string;
  useSQLite?: boolean;
  unsafeUniqueKey?: string;
}

/** Which Miniflare worker implements a Durable Object binding's class, and with what storage. */
export type DurableObjectTargetOf = (binding: BindingOf<'durable_object_namespace'>) => DurableObjectTarget;

/** As declared: the class on the named worker (`npm run dev`, one worker per service), no storage details. */
export const durableObjectTargetAsDeclared: DurableObjectTargetOf = (binding) => ({
  className: binding.class_name,
  ...(binding.script_name !== undefined ? { scriptName: binding.script_name } : {}),
});

/** How the bindings that reach other workers are resolved by the runtime at hand. */
export interface BindingTargets {
  service: ServiceTargetOf;
  durableObject: DurableObjectTargetOf;
}

/** Which Miniflare worker a service binding reaches: the edge runs versions as their own workers. */
export type ServiceTargetOf = (binding: BindingOf<'service'>) => ServiceTarget;

/** One worker per service, named after it (`npm run dev`). */
export const serviceTargetByName: ServiceTargetOf = (binding) =>
  binding.entrypoint !== undefined ? { name: binding.service, entrypoint: binding.entrypoint } : binding.service;

type Applier<T extends BindingType> = (binding: BindingOf<T>, options: MiniflareBindings, targets: BindingTargets) => void;

/** How each binding type becomes Miniflare options. A new binding type is one entry here. */
const TO_MINIFLARE: { [T in BindingType]: Applier<T> } = {
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
    // Not yet resolved (dev): the namespace's name is its local id, as wrangler dev does.
    options.kvNamespaces[binding.name] = 'namespace_id' in binding ? binding.namespace_id : binding.namespace_title;
  },
  d1: (binding, options) => {
    options.d1Databases[binding.name] = 'id' in binding ? binding.id : binding.database_name;
  },
  r2_bucket: (binding, options) => {
    options.r2Buckets[binding.name] = binding.bucket_name;
  },
  queue: (binding, options) => {
    options.queueProducers[binding.name] = { queueName: binding.queue_name };
  },
  service: (binding, options, targets) => {
    options.serviceBindings[binding.name] = targets.service(binding);
  },
  durable_object_namespace: (binding, options, targets) => {
    options.durableObjects[binding.name] = targets.durableObject(binding);
  },
};

/** The binding types the local runtimes run. */
export const BINDING_TYPES = Object.keys(TO_MINIFLARE) as BindingType[];

export function isBindingType(type: string): type is BindingType {
  return Object.hasOwn(TO_MINIFLARE, type);
}

function applyBinding<T extends BindingType>(binding: BindingOf<T>, options: MiniflareBindings, targets: BindingTargets): void {
  const applier = TO_MINIFLARE[binding.type] as Applier<T>;
  applier(binding, options, targets);
}

export function emptyMiniflareBindings(): MiniflareBindings {
  return { bindings: {}, kvNamespaces: {}, d1Databases: {}, r2Buckets: {}, queueProducers: {}, serviceBindings: {}, durableObjects: {} };
}

/** A worker's bindings as Miniflare options. */
export function miniflareBindings(
  bindings: readonly DeclaredBinding[],
  serviceTarget: ServiceTargetOf = serviceTargetByName,
  durableObjectTarget: DurableObjectTargetOf = durableObjectTargetAsDeclared,
): MiniflareBindings {
  const options = emptyMiniflareBindings();
  const targets: BindingTargets = { service: serviceTarget, durableObject: durableObjectTarget };
  for (const binding of bindings) applyBinding(binding, options, targets);
  return options;
}
