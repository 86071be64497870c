import type { RootConfig, ServiceConfig } from './schema.ts';

/** A service's config once the root's defaults are merged in: the date is always known. */
export type MergedServiceConfig = ServiceConfig & { compatibility_date: string };

/**
 * The merge rule, in full:
 * - `compatibility_date` and `compatibility_flags`: the service's own value wins; the root fills
 *   them in only where the service leaves them out.
 * - `vars`: merged key by key; a service's var wins over the root's var of the same name.
 * - Nothing else is inherited: routes, bindings and triggers belong to the service alone.
 * A service folder therefore stays a complete wrangler config for `wrangler dev` on its own; the
 * root only adds what the fleet shares.
 */
export function mergeServiceConfig(root: RootConfig, service: ServiceConfig): MergedServiceConfig {
  const vars = { ...(root.vars ?? {}), ...(service.vars ?? {}) };
  return {
    ...service,
    compatibility_date: service.compatibility_date ?? root.compatibility_date,
    compatibility_flags: service.compatibility_flags ?? root.compatibility_flags ?? [],
    ...(Object.keys(vars).length > 0 ? { vars } : {}),
  };
}
