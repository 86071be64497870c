import { join } from 'node:path';
import type { WorkerOptions } from 'miniflare';
import { durableObjectTargetAsDeclared, miniflareBindings, secretBindings, uploadBindingsOf, type DurableObjectTargetOf } from '../cloudflare/bindings/index.ts';
import { declaredClasses } from '../cloudflare/durable-object-migrations.ts';
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
  const bindings = miniflareBindings([...uploadBindingsOf(config), ...secretBindings(secrets)], undefined, ownDurableObjects(service));
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

/**
 * The service's own Durable Object classes as its `[[migrations]]` declare them (SQLite-backed or
 * not), stored under Miniflare's default key `<worker>-<class>`; a class of another service is
 * named as declared.
 */
function ownDurableObjects(service: FleetService): DurableObjectTargetOf {
  const classes = declaredClasses(service.config.migrations ?? [], (className) => `${service.name}-${className}`);
  return (binding) => {
    const own = binding.script_name === undefined || binding.script_name === service.name;
    const klass = own ? classes.find((candidate) => candidate.className === binding.class_name) : undefined;
    return klass ? { className: klass.className, useSQLite: klass.sqlite, unsafeUniqueKey: klass.storageId } : durableObjectTargetAsDeclared(binding);
  };
}
