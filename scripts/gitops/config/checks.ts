import { relative } from 'node:path';
import { declaredRoutes, type FleetCheck } from '../../fleet/index.ts';

/**
 * Cloudflare's route pattern rules: an optional http(s) scheme, a host (optionally starting with a
 * `*` wildcard), an optional path that may end with `*`; no port, query string or fragment, and
 * `*` nowhere else. A custom domain is a bare hostname.
 */
const ROUTE_PATTERN = /^(https?:\/\/)?(\*|\*\.)?([a-z0-9-]+\.)+[a-z0-9-]+(\/[^*?#\s]*\*?)?$/i;
const HOSTNAME = /^([a-z0-9-]+\.)+[a-z0-9-]+$/i;

/** Every route pattern and custom domain is one Cloudflare would accept. */
export const routePatternsAreValid: FleetCheck = (fleet) =>
  fleet.services.flatMap((service) =>
    declaredRoutes(service.config).flatMap((route) => {
      const valid = route.customDomain ? HOSTNAME.test(route.pattern) : ROUTE_PATTERN.test(route.pattern);
      if (valid) return [];
      return [
        {
          file: relative(fleet.rootDir, service.configPath),
          keyPath: route.customDomain ? `${route.keyPath}.pattern` : route.keyPath,
          message: route.customDomain
            ? `"${route.pattern}" is not a hostname; a custom domain is a bare hostname such as api.example.com`
            : `"${route.pattern}" is not a route pattern; expected host/path such as example.com/users* ("*" only at the start of the host or the end of the path; no port, query or fragment)`,
        },
      ];
    }),
  );

/** The reconciler's checks, run with the fleet's own before any API call. */
export const GITOPS_CHECKS: readonly FleetCheck[] = [routePatternsAreValid];
