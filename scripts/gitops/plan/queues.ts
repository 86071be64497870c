import type { Action } from './action.ts';
import type { PlanError } from './plan.ts';
import type { DesiredQueueConsumer, DesiredState } from '../state/desired.ts';
import type { ObservedQueueConsumer, ObservedState } from '../state/observed.ts';
import { noLongerDeclared } from './undeclared.ts';

export interface QueueContext {
  owner: string;
  adopt: boolean;
  owned: Set<string>;
}

function sameConsumer(observed: ObservedQueueConsumer, desired: DesiredQueueConsumer): boolean {
  const keys = ['batch_size', 'max_retries', 'max_wait_time_ms'] as const;
  return keys.every((key) => observed.settings[key] === desired.settings[key]) && observed.deadLetterQueue === desired.deadLetterQueue;
}

/**
 * Queues the fleet names (created when missing, never deleted) and their worker consumers
 * (registered, updated, moved, or removed when git no longer declares them).
 */
export function planQueues(desired: DesiredState, observed: ObservedState, context: QueueContext): { actions: Action[]; errors: PlanError[] } {
  const actions: Action[] = [];
  const errors: PlanError[] = [];
  const declaredServices = new Set(desired.services.map((service) => service.name));

  const needed = new Map<string, string[]>();
  for (const service of desired.services) {
    const names = [...service.producerQueues, ...service.queueConsumers.flatMap((consumer) => [consumer.queue, ...(consumer.deadLetterQueue ? [consumer.deadLetterQueue] : [])])];
    for (const name of names) {
      const services = needed.get(name) ?? [];
      if (!services.includes(service.name)) services.push(service.name);
      needed.set(name, services);
    }
  }
  for (const [queue, services] of [...needed].sort(([a], [b]) => a.localeCompare(b))) {
    if (!observed.queues.some((candidate) => candidate.name === queue)) {
      actions.push({ kind: 'create-queue', services, queue, reason: 'queue named in git does not exist' });
    }
  }

  const wanted = new Set<string>();
  for (const service of desired.services) {
    for (const consumer of service.queueConsumers) {
      wanted.add(`${consumer.queue}\n${service.name}`);
      const queue = observed.queues.find((candidate) => candidate.name === consumer.queue);
      const existing = queue?.consumers.find((candidate) => candidate.type === 'worker');
      if (existing?.script === service.name && sameConsumer(existing, consumer)) continue;
      if (existing && existing.script !== service.name && !(existing.script !== undefined && context.owned.has(existing.script)) && !context.adopt) {
        errors.push({
          service: service.name,
          ...consumer.source,
          message: `queue "${consumer.queue}" is consumed by script "${existing.script ?? '?'}", which the fleet does not own (owner tag "${context.owner}"); remove it from git or re-run with --adopt`,
        });
        continue;
      }
      actions.push({
        kind: 'put-queue-consumer',
        service: service.name,
        queue: consumer.queue,
        ...(existing ? { consumerId: existing.id } : {}),
        settings: consumer.settings,
        ...(consumer.deadLetterQueue ? { deadLetterQueue: consumer.deadLetterQueue } : {}),
        reason: !existing ? 'new queue consumer' : existing.script === service.name ? 'consumer settings changed' : `moved from script "${existing.script ?? '?'}"`,
      });
    }
  }

  for (const queue of observed.queues) {
    for (const consumer of queue.consumers) {
      if (consumer.script === undefined || !context.owned.has(consumer.script)) continue;
      if (wanted.has(`${queue.name}\n${consumer.script}`)) continue;
      if (desired.services.some((service) => service.queueConsumers.some((candidate) => candidate.queue === queue.name))) continue; // moved: replaced by the PUT above
      actions.push({
        kind: 'delete-queue-consumer',
        service: consumer.script,
        queue: queue.name,
        queueId: queue.id,
        consumerId: consumer.id,
        ...noLongerDeclared(consumer.script, declaredServices),
      });
    }
  }
  return { actions, errors };
}
