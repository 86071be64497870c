import type { Fleet } from './load.ts';
import { declaredRoutes } from './routes.ts';

/** One line per route: the service, the pattern, and a curl that reaches it on a local listener. */
export function routeUrlLines(fleet: Fleet, origin: string): string[] {
  return fleet.services.flatMap((service) =>
    declaredRoutes(service.config).map((route) => {
      const [hostPart = '', ...pathParts] = route.pattern.replace(/^https?:\/\//, '').split('/');
      const host = hostPart.replace(/^\*\.?/, '');
      const path = `/${pathParts.join('/')}`.replace(/\*$/, '');
      return `  ${service.name.padEnd(16)} ${route.pattern.padEnd(36)} curl -H 'Host: ${host}' ${origin}${path}`;
    }),
  );
}
