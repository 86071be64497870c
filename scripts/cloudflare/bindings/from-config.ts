/**
 * wrangler config → upload-metadata bindings, one entry per binding table of the config (a table
 * can yield more than one binding type: `[vars]` gives `plain_text` for strings, `json` otherwise,
 * as wrangler's `createWorkerUploadForm` does). Secrets are not in the config: their values come
 * from the environment (reconciler) or `.dev.vars` (dev) as `secret_text`.
 */
import { d1DatabaseName, kvNamespaceTitle } from '../resource-names.ts';
import type { BindingsConfig } from './config.ts';
import type { DeclaredBinding, UploadBinding } from './upload.ts';

type ConfigTable = 'vars' | 'kv_namespaces' | 'd1_databases' | 'r2_buckets' | 'services' | 'queues' | 'durable_objects';

/** In upload order (the order is part of a version's content hash: do not reorder). */
const FROM_CONFIG: { [K in ConfigTable]: (config: BindingsConfig) => DeclaredBinding[] } = {
  vars: (config) =>
    Object.entries(config.vars ?? {}).map(([name, value]): DeclaredBinding =>
      typeof value === 'string' ? { type: 'plain_text', name, text: value } : { type: 'json', name, json: value },
    ),
  kv_namespaces: (config) =>
    (config.kv_namespaces ?? []).map((kv): DeclaredBinding =>
      kv.id !== undefined
        ? { type: 'kv_namespace', name: kv.binding, namespace_id: kv.id }
        : { type: 'kv_namespace', name: kv.binding, namespace_title: kvNamespaceTitle(config.name, kv.binding) },
    ),
  d1_databases: (config) =>
    (config.d1_databases ?? []).map((d1): DeclaredBinding =>
      d1.database_id !== undefined ? { type: 'd1', name: d1.binding, id: d1.database_id } : { type: 'd1', name: d1.binding, database_name: d1DatabaseName(d1) },
    ),
  r2_buckets: (config) => (config.r2_buckets ?? []).map((r2): DeclaredBinding => ({ type: 'r2_bucket', name: r2.binding, bucket_name: r2.bucket_name })),
  services: (config) =>
    (config.services ?? []).map((binding): DeclaredBinding => ({
      type: 'service',
      name: binding.binding,
      service: binding.service,
      ...(binding.environment ? { environment: binding.environment } : {}),
      ...(binding.entrypoint ? { entrypoint: binding.entrypoint } : {}),
    })),
  queues: (config) => (config.queues?.producers ?? []).map((queue): DeclaredBinding => ({ type: 'queue', name: queue.binding, queue_name: queue.queue })),
  durable_objects: (config) =>
    (config.durable_objects?.bindings ?? []).map((binding): DeclaredBinding => ({
      type: 'durable_object_namespace',
      name: binding.name,
      class_name: binding.class_name,
      ...(binding.script_name !== undefined ? { script_name: binding.script_name } : {}),
      ...(binding.environment !== undefined ? { environment: binding.environment } : {}),
    })),
};

/** The upload-metadata bindings a service's wrangler config declares (no secrets). */
export function uploadBindingsOf(config: BindingsConfig): DeclaredBinding[] {
  return Object.values(FROM_CONFIG).flatMap((table) => table(config));
}

/** `secret_text` bindings for secret values (never logged; the values stay in the binding). */
export function secretBindings(secrets: Readonly<Record<string, string>>): UploadBinding[] {
  return Object.entries(secrets).map(([name, text]) => ({ type: 'secret_text', name, text }));
}
