/**
 * The bindings of a Worker upload, as Cloudflare's upload metadata spells them
 * (`metadata.bindings[]` of PUT /accounts/{account_id}/workers/scripts/{script_name}, schema
 * `workers_binding_item` in Cloudflare's OpenAPI; wrangler's `createWorkerUploadForm` in
 * packages/wrangler/src/deployment-bundle/create-worker-upload-form.ts writes the same shapes).
 * Only the kinds the fleet declares and the local edge runs are here.
 *
 * A KV namespace or D1 database the config declares without an id is first a {@link DeclaredBinding}
 * carrying its NAME (`namespace_title` / `database_name`): the reconciler resolves it to the id
 * before uploading, and local runs (dev) use the name as the local id.
 */
import * as z from 'zod';

const name = z.string().min(1);

export const PlainTextBinding = z.object({ type: z.literal('plain_text'), name, text: z.string() });
export const SecretTextBinding = z.object({ type: z.literal('secret_text'), name, text: z.string() });
export const JsonBinding = z.object({ type: z.literal('json'), name, json: z.unknown() });
export const KvNamespaceBinding = z.object({ type: z.literal('kv_namespace'), name, namespace_id: z.string().min(1) });
export const D1Binding = z.object({ type: z.literal('d1'), name, id: z.string().min(1) });
export const R2BucketBinding = z.object({ type: z.literal('r2_bucket'), name, bucket_name: z.string().min(1) });
export const QueueBinding = z.object({ type: z.literal('queue'), name, queue_name: z.string().min(1) });
export const ServiceBinding = z.object({ type: z.literal('service'), name, service: z.string().min(1), environment: z.string().optional(), entrypoint: z.string().optional() });
/** `script_name` absent: the class is the uploading Worker's own (wrangler's `durable_object_namespace`). */
export const DurableObjectNamespaceBinding = z.object({
  type: z.literal('durable_object_namespace'),
  name,
  class_name: z.string().min(1),
  script_name: z.string().min(1).optional(),
  environment: z.string().optional(),
});

/** One binding of `metadata.bindings[]`, any kind the fleet uses. */
export const UploadBinding = z.discriminatedUnion('type', [
  PlainTextBinding,
  SecretTextBinding,
  JsonBinding,
  KvNamespaceBinding,
  D1Binding,
  R2BucketBinding,
  QueueBinding,
  ServiceBinding,
  DurableObjectNamespaceBinding,
]);
export type UploadBinding = z.infer<typeof UploadBinding>;

/** Before resolution: a KV namespace or D1 database named, not yet identified (never uploaded as such). */
export const NamedKvNamespaceBinding = z.object({ type: z.literal('kv_namespace'), name, namespace_title: z.string().min(1) });
export const NamedD1Binding = z.object({ type: z.literal('d1'), name, database_name: z.string().min(1) });

/** A binding as a wrangler config declares it: an upload binding, or a resource named by its name. */
export const DeclaredBinding = z.union([UploadBinding, NamedKvNamespaceBinding, NamedD1Binding]);
export type DeclaredBinding = z.infer<typeof DeclaredBinding>;

export type BindingType = DeclaredBinding['type'];
export type BindingOf<T extends BindingType> = Extract<DeclaredBinding, { type: T }>;
