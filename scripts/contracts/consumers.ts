import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Fleet } from '../fleet/load.ts';
import { identifiersOf } from '../new/names.ts';
import type { Consumers } from './report.ts';

/** What a service's config and source say about the services it depends on. */
export interface ServiceUsage {
  service: string;
  /** Services it has a service binding to (`[[services]] service`). */
  binds: string[];
  /** Queues it sends to (`[[queues.producers]]`). */
  produces: string[];
  /** Queues it consumes (`[[queues.consumers]]`). */
  consumes: string[];
  /** Its `src/` files' text: where it builds a typed client for another service's contract. */
  source: string;
}

/** The contract of `users` is `usersContract` (the name `npm run new` gives it). */
function contractIdentifier(service: string): string {
  return `${identifiersOf(service).camel}Contract`;
}

export function consumersOf(service: string, usages: readonly ServiceUsage[]): Consumers {
  const client = new RegExp(`createClient\\(\\s*${contractIdentifier(service)}\\b`);
  const produced = new Set(usages.find((usage) => usage.service === service)?.produces ?? []);
  const others = usages.filter((usage) => usage.service !== service);
  return {
    http: others.filter((usage) => usage.binds.includes(service) && client.test(usage.source)).map((usage) => usage.service),
    events: others.filter((usage) => usage.consumes.some((queue) => produced.has(queue))).map((usage) => usage.service),
  };
}

async function sourceText(dir: string): Promise<string> {
  const entries = await readdir(join(dir, 'src'), { recursive: true, withFileTypes: true }).catch(() => []);
  const files = entries.filter((entry) => entry.isFile() && /\.[cm]?[jt]sx?$/.test(entry.name)).map((entry) => join(entry.parentPath, entry.name));
  const texts = await Promise.all(files.sort().map((file) => readFile(file, 'utf8')));
  return texts.join('\n');
}

export async function loadUsages(fleet: Fleet): Promise<ServiceUsage[]> {
  return Promise.all(
    fleet.services.map(async (service) => ({
      service: service.name,
      binds: (service.config.services ?? []).map((binding) => binding.service),
      produces: (service.config.queues?.producers ?? []).map((producer) => producer.queue),
      consumes: (service.config.queues?.consumers ?? []).map((consumer) => consumer.queue),
      source: await sourceText(service.dir),
    })),
  );
}
