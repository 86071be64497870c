/**
 * A service's Durable Objects, checked before anything runs (`new`, `dev`, `plan`): its
 * `[[migrations]]` apply in order (a class is created once, renamed or deleted only if it exists,
 * as wrangler checks), and each `[[durable_objects.bindings]]` names a class its migrations created,
 * or a class of another service of the fleet (`script_name`).
 */
import { relative } from 'node:path';
import { declaredClasses, MigrationError } from '../cloudflare/durable-object-migrations.ts';
import type { ConfigIssue } from './errors.ts';
import type { Fleet, FleetService } from './load.ts';

function serviceIssues(fleet: Fleet, service: FleetService): ConfigIssue[] {
  const file = relative(fleet.rootDir, service.configPath);
  let classes: string[];
  try {
    classes = declaredClasses(service.config.migrations ?? [], (className) => className).map((klass) => klass.className);
  } catch (error) {
    if (error instanceof MigrationError) return [{ file, keyPath: 'migrations', message: `${error.message}; fix the [[migrations]] steps (applied steps must stay as they are)` }];
    throw error;
  }
  const services = new Set(fleet.services.map((candidate) => candidate.name));
  return (service.config.durable_objects?.bindings ?? []).flatMap((binding, index): ConfigIssue[] => {
    const at = { file, keyPath: `durable_objects.bindings.${index}` };
    if (binding.script_name !== undefined && binding.script_name !== service.name) {
      return services.has(binding.script_name) ? [] : [{ ...at, keyPath: `${at.keyPath}.script_name`, message: `binding ${binding.name} names service "${binding.script_name}", which is not in the fleet` }];
    }
    if (classes.includes(binding.class_name)) return [];
    return [{ ...at, keyPath: `${at.keyPath}.class_name`, message: `binding ${binding.name} names class ${binding.class_name}, which no [[migrations]] step creates; add one with new_sqlite_classes = ["${binding.class_name}"]` }];
  });
}

export function durableObjectsDeclared(fleet: Fleet): ConfigIssue[] {
  return fleet.services.flatMap((service) => serviceIssues(fleet, service));
}
