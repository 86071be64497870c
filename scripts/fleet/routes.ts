import type { ServiceConfig } from './schema.ts';

/** A route of a service, whichever of wrangler's spellings declared it. */
export interface DeclaredRoute {
  pattern: string;
  zoneName?: string;
  customDomain: boolean;
  /** Where in the service's wrangler.toml it was declared, e.g. `routes.0`. */
  keyPath: string;
}

/** Normalises `route = "…"` and `routes = ["…", { pattern, zone_name, custom_domain }]`. */
export function declaredRoutes(config: Pick<ServiceConfig, 'route' | 'routes'>): DeclaredRoute[] {
  const entries = [
    ...(config.route ? [{ value: config.route, keyPath: 'route' }] : []),
    ...(config.routes ?? []).map((value, index) => ({ value, keyPath: `routes.${index}` })),
  ];
  return entries.map(({ value, keyPath }) =>
    typeof value === 'string'
      ? { pattern: value, customDomain: false, keyPath }
      : {
          pattern: value.pattern,
          ...(value.zone_name ? { zoneName: value.zone_name } : {}),
          customDomain: value.custom_domain ?? false,
          keyPath,
        },
  );
}
