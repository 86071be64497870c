import type { ApiBinding, ResourceKind } from '../state/desired.ts';
import type { ObservedResource, ObservedState } from '../state/observed.ts';

/**
 * The resources a binding may name instead of an id, one entry per kind: which upload binding
 * refers to it, the field that carries the name in desired state (a reference, hashed) and the
 * field the upload needs (the id, filled in by apply), and where observe puts what exists.
 */
export interface ResourceKindDefinition {
  label: string;
  bindingType: string;
  /** Field of the desired binding holding the resource's name. */
  nameField: string;
  /** Field of the uploaded binding holding the resource's id; absent when the name is the id (R2: `bucket_name`), so the binding is uploaded as written. */
  idField?: string;
  observed: (observed: ObservedState) => ObservedResource[];
}

export const RESOURCE_KINDS: Record<ResourceKind, ResourceKindDefinition> = {
  'kv-namespace': { label: 'KV namespace', bindingType: 'kv_namespace', nameField: 'namespace_title', idField: 'namespace_id', observed: (observed) => observed.kvNamespaces },
  'd1-database': { label: 'D1 database', bindingType: 'd1', nameField: 'database_name', idField: 'id', observed: (observed) => observed.d1Databases },
  'r2-bucket': { label: 'R2 bucket', bindingType: 'r2_bucket', nameField: 'bucket_name', observed: (observed) => observed.r2Buckets },
};

/** The resource a desired binding names (no id yet), if it is one. */
export function resourceReference(binding: ApiBinding): { kind: ResourceKind; name: string } | undefined {
  for (const [kind, definition] of Object.entries(RESOURCE_KINDS) as [ResourceKind, ResourceKindDefinition][]) {
    if (binding.type !== definition.bindingType || (definition.idField !== undefined && binding[definition.idField] !== undefined)) continue;
    const name = binding[definition.nameField];
    if (typeof name === 'string') return { kind, name };
  }
  return undefined;
}

/** The binding as uploaded: a name reference replaced by the resource's id; other bindings as they are. */
export async function resolveBinding(binding: ApiBinding, idOf: (kind: ResourceKind, name: string) => Promise<string>): Promise<ApiBinding> {
  const reference = resourceReference(binding);
  if (!reference) return binding;
  const definition = RESOURCE_KINDS[reference.kind];
  if (definition.idField === undefined) return binding;
  const { [definition.nameField]: _name, ...rest } = binding;
  return { ...rest, type: binding.type, name: binding.name, [definition.idField]: await idOf(reference.kind, reference.name) };
}
