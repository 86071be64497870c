import { isR2BucketName, R2_BUCKET_NAME_RULE } from '../../cloudflare/api/r2-buckets.ts';
import type { Action } from './action.ts';
import type { PlanError } from './plan.ts';
import { RESOURCE_KINDS } from '../desired/resource-kinds.ts';
import type { DesiredResource, DesiredState, ResourceKind } from '../state/desired.ts';
import type { ObservedState } from '../state/observed.ts';

/** How each resource kind becomes its create action. */
const CREATE: { [K in ResourceKind]: (name: string, services: string[]) => Action } = {
  'kv-namespace': (title, services) => ({
    kind: 'create-kv-namespace',
    services,
    title,
    reason: 'KV namespace named in git (binding without id) does not exist; it is created by title and never deleted (it holds data)',
  }),
  'd1-database': (database, services) => ({
    kind: 'create-d1-database',
    services,
    database,
    reason: 'D1 database named in git (binding without database_id) does not exist; it is created by name and never deleted (it holds data)',
  }),
  'r2-bucket': (bucket, services) => ({
    kind: 'create-r2-bucket',
    services,
    bucket,
    reason: 'R2 bucket named in git (r2_buckets binding) does not exist; it is created by name and never deleted (it holds objects)',
  }),
};

/**
 * KV namespaces and D1 databases the fleet's bindings name without an id, and the R2 buckets they
 * name: created when missing
 * (once, however many services name one), never deleted (they hold data). A binding whose
 * resource exists needs nothing here: apply resolves the name to the id when it uploads.
 */
export function planResources(desired: DesiredState, observed: ObservedState): { actions: Action[]; errors: PlanError[] } {
  const needed = new Map<string, { resource: DesiredResource; services: string[] }>();
  for (const service of desired.services) {
    for (const resource of service.resources) {
      const key = `${resource.kind}\n${resource.name}`;
      const entry = needed.get(key) ?? { resource, services: [] };
      if (!entry.services.includes(service.name)) entry.services.push(service.name);
      needed.set(key, entry);
    }
  }
  const actions: Action[] = [];
  const errors: PlanError[] = [];
  for (const { resource, services } of [...needed.values()].sort((a, b) => a.resource.kind.localeCompare(b.resource.kind) || a.resource.name.localeCompare(b.resource.name))) {
    if (resource.kind === 'r2-bucket' && !isR2BucketName(resource.name)) {
      // Cloudflare would refuse the create (10005): say so at plan time, where the binding is.
      errors.push({ service: services[0], ...resource.source, message: `bucket_name "${resource.name}" is not a valid R2 bucket name: ${R2_BUCKET_NAME_RULE}` });
      continue;
    }
    const existing = RESOURCE_KINDS[resource.kind].observed(observed).filter((candidate) => candidate.name === resource.name);
    if (existing.length > 1) {
      errors.push({
        service: services[0],
        ...resource.source,
        message: `${existing.length} ${RESOURCE_KINDS[resource.kind].label}s are named "${resource.name}" on the account (${existing.map((candidate) => candidate.id).join(', ')}); set the id of the one to use in the binding`,
      });
      continue;
    }
    if (existing.length === 0) actions.push(CREATE[resource.kind](resource.name, services));
  }
  return { actions, errors };
}
