import { join } from 'node:path';
import type { WorkerOptions } from 'miniflare';
import { miniflareBindings, secretBindings, uploadBindingsOf } from '../cloudflare/bindings/index.ts';
import { miniflareQueueConsumerOf } from '../cloudflare/queue-consumer.ts';
import type { ServiceBundle } from './bundle.ts';
import type { FleetService } from './load.ts';
import { declaredRoutes } from './routes.ts';

/**
 * A service's wrangler config as Miniflare worker options: its bundle, its bindings (vars, KV, D1,
 * R2, queues, service bindings to the other services by name — through the platform's one binding
 * mapping, config → upload metadata → Miniflare), queue consumers and routes, so one Miniflare can
 * run the whole fleet as `wrangler dev` would run each service. `secrets` come from `.dev.vars`-style input.
 */
export function workerOptions(service: FleetService, bundle: ServiceBundle, secrets: Record<string, string> = {}): WorkerOptions {
  const config = service.config;
  const bindings = miniflareBindings([...uploadBindingsOf(config), ...secretBindings(secrets)]);
  return {
    name: service.name,
    modulesRoot: service.dir,
    modules: bundle.modules
      .filter((module) => module.type === 'esm')
      .map((module) => ({ type: 'ESModule' as const, path: join(service.dir, module.name), contents: module.contents })),
    compatibilityDate: config.compatibility_date,
    compatibilityFlags: config.compatibility_flags ?? [],
    ...bindings,
    queueConsumers: Object.fromEntries((config.queues?.consumers ?? []).map((consumer) => [consumer.queue, miniflareQueueConsumerOf(consumer)])),
    routes: declaredRoutes(config).map((route) => (route.customDomain ? `${route.pattern}/*` : route.pattern)),
  };
}
