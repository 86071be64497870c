/**
 * The binding tables of a wrangler config, as wrangler reads them
 * (https://developers.cloudflare.com/workers/wrangler/configuration/#bindings): each table's entry
 * schema, used by the fleet's config schema, and the shape the mappings below read.
 */
import * as z from 'zod';
import type { QueueConsumerConfig } from '../queue-consumer.ts';
import type { MigrationConfig } from '../durable-object-migrations.ts';

/** A binding name: the property name the Worker sees on `env`. */
export const BindingName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a binding name: letters, digits and _, not starting with a digit');

export const VarsConfig = z.record(z.string(), z.unknown());
export const KvNamespaceConfig = z.object({ binding: BindingName, id: z.string().optional(), preview_id: z.string().optional() });
export const D1DatabaseConfig = z.object({
  binding: BindingName,
  database_name: z.string(),
  database_id: z.string().optional(),
  migrations_dir: z.string().optional(),
  migrations_table: z.string().optional(),
});
export const R2BucketConfig = z.object({ binding: BindingName, bucket_name: z.string() });
export const ServiceBindingConfig = z.object({ binding: BindingName, service: z.string(), entrypoint: z.string().optional(), environment: z.string().optional() });
export const QueueProducerConfig = z.object({ binding: BindingName, queue: z.string() });
/** `[[durable_objects.bindings]]`: `script_name` absent means the class is this Worker's own. */
export const DurableObjectBindingConfig = z.object({ name: BindingName, class_name: z.string().min(1), script_name: z.string().optional(), environment: z.string().optional() });

export type KvNamespaceConfig = z.infer<typeof KvNamespaceConfig>;
export type D1DatabaseConfig = z.infer<typeof D1DatabaseConfig>;

/** What the binding mappings read from a (merged) service config: its name and its binding tables. */
export interface BindingsConfig {
  /** The Worker's name: KV namespaces without an id are named after it. */
  name: string;
  vars?: z.infer<typeof VarsConfig>;
  kv_namespaces?: KvNamespaceConfig[];
  d1_databases?: D1DatabaseConfig[];
  r2_buckets?: z.infer<typeof R2BucketConfig>[];
  services?: z.infer<typeof ServiceBindingConfig>[];
  queues?: { producers?: z.infer<typeof QueueProducerConfig>[]; consumers?: QueueConsumerConfig[] };
  durable_objects?: { bindings?: z.infer<typeof DurableObjectBindingConfig>[] };
  migrations?: MigrationConfig[];
}
