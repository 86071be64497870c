/**
 * The Queues API subset `wrangler deploy` needs for `[[queues.producers]]` and
 * `[[queues.consumers]]`: the named-resource operations (list by `?name=`, paged; create
 * `{queue_name}`; get; delete) and worker consumers.
 */
import { currentDeployment } from '../../build-snapshot.ts';
import type * as z from 'zod';
import { ConsumerBodySchema, QueueBodySchema, type Consumer, type Queue, type QueueBody } from '../../../../cloudflare/api/queues.ts';
import { hexId } from '../../store/ids.ts';
import type { QueueConsumerRecord, QueueRecord } from '../../store/queues.ts';
import type { EdgeState } from '../../store/state.ts';
import type { ApiContext, ApiApp } from '../context.ts';
import { ok } from '../envelope.ts';
import { fail } from '../errors.ts';
import { findScript } from '../lookup.ts';
import { namedPlace, namedResourceOperations, requireNamed, type NamedResourceKind } from '../named-resource.ts';
import { jsonBody } from '../validate.ts';

function producers(state: Readonly<EdgeState>, queueName: string): { type: 'worker'; script: string }[] {
  return state.scripts
    .filter((script) => {
      const deployment = currentDeployment(state, script.name);
      return state.versions.some((version) => deployment?.versions.some((entry) => entry.version_id === version.id) && version.bindings.some((binding) => binding.type === 'queue' && binding.queue_name === queueName));
    })
    .map((script) => ({ type: 'worker' as const, script: script.name }));
}

function consumerResource(consumer: QueueConsumerRecord, queueName: string): Consumer {
  return {
    consumer_id: consumer.consumer_id,
    type: consumer.type,
    queue_name: queueName,
    ...(consumer.script !== undefined ? { script: consumer.script, script_name: consumer.script } : {}),
    ...(consumer.dead_letter_queue !== undefined ? { dead_letter_queue: consumer.dead_letter_queue } : {}),
    settings: consumer.settings,
    created_on: consumer.created_on,
  };
}

function queueResource(state: Readonly<EdgeState>, queue: QueueRecord): Queue {
  const queueProducers = producers(state, queue.queue_name);
  return {
    queue_id: queue.queue_id,
    queue_name: queue.queue_name,
    created_on: queue.created_on,
    modified_on: queue.modified_on,
    producers: queueProducers,
    producers_total_count: queueProducers.length,
    consumers: queue.consumers.map((consumer) => consumerResource(consumer, queue.queue_name)),
    consumers_total_count: queue.consumers.length,
    settings: { delivery_delay: 0 },
  };
}

export const QUEUES: NamedResourceKind<QueueRecord, QueueBody> = {
  ...namedPlace('queues'),
  createBody: QueueBodySchema,
  create: (body, now) => ({ queue_id: hexId(), queue_name: body.queue_name, created_on: now, modified_on: now, consumers: [] }),
  identifiedBy: (queue, id) => queue.queue_id === id,
  show: queueResource,
  list: {
    select: (queues, c) => {
      const names = c.req.queries('name') ?? [];
      return names.length === 0 ? queues : queues.filter((queue) => names.includes(queue.queue_name));
    },
  },
  exists: { error: 'queueExists', message: (name) => `A queue named ${name} already exists` },
  notFound: { error: 'queueNotFound', message: (id) => `Queue ${id} does not exist` },
};

function requireQueue(state: Readonly<EdgeState>, id: string): QueueRecord {
  return requireNamed(QUEUES, state, id);
}

/** The stored consumer for a validated body; a worker consumer must name a Worker that exists. */
function consumerFromBody(body: z.output<typeof ConsumerBodySchema>, state: Readonly<EdgeState>): Omit<QueueConsumerRecord, 'consumer_id' | 'created_on'> {
  const script = body.script_name ?? body.script;
  if (body.type === 'worker') {
    if (script === undefined) fail('validation', 'a worker consumer needs `script_name`');
    else if (!findScript(state, script)) fail('scriptNotFound', `Worker "${script}" does not exist on your account`);
  }
  return {
    type: body.type,
    ...(body.type === 'worker' && script !== undefined ? { script } : {}),
    ...(body.dead_letter_queue !== undefined && body.dead_letter_queue !== '' ? { dead_letter_queue: body.dead_letter_queue } : {}),
    settings: body.settings,
  };
}

export function registerQueues(app: ApiApp, context: ApiContext): void {
  const { store } = context;
  namedResourceOperations(QUEUES)(app, context);

  app.get('/accounts/:account_id/queues/:queue_id/consumers', (c) => {
    const queue = requireQueue(store.state, c.req.param('queue_id'));
    return ok(c, queue.consumers.map((consumer) => consumerResource(consumer, queue.queue_name)));
  });

  app.post('/accounts/:account_id/queues/:queue_id/consumers', jsonBody(ConsumerBodySchema), async (c) => {
    const id = c.req.param('queue_id');
    const body = c.req.valid('json');
    const result = await store.transaction((draft) => {
      const queue = requireQueue(draft, id);
      const consumer = consumerFromBody(body, draft);
      if (consumer.type === 'worker' && queue.consumers.some((existing) => existing.type === 'worker')) fail('consumerExists', `Queue ${queue.queue_name} already has a worker consumer; update it with PUT …/consumers/{consumer_id}`);
      const record: QueueConsumerRecord = { ...consumer, consumer_id: hexId(), created_on: new Date().toISOString() };
      queue.consumers.push(record);
      queue.modified_on = record.created_on;
      return consumerResource(record, queue.queue_name);
    });
    return ok(c, result);
  });

  app.put('/accounts/:account_id/queues/:queue_id/consumers/:consumer_id', jsonBody(ConsumerBodySchema), async (c) => {
    const id = c.req.param('queue_id');
    const consumerId = c.req.param('consumer_id');
    const body = c.req.valid('json');
    const result = await store.transaction((draft) => {
      const queue = requireQueue(draft, id);
      const index = queue.consumers.findIndex((consumer) => consumer.consumer_id === consumerId);
      const existing = queue.consumers[index] ?? fail('consumerNotFound', `Consumer ${consumerId} of queue ${queue.queue_name} was not found`);
      const record: QueueConsumerRecord = { ...consumerFromBody(body, draft), consumer_id: existing.consumer_id, created_on: existing.created_on };
      queue.consumers[index] = record;
      queue.modified_on = new Date().toISOString();
      return consumerResource(record, queue.queue_name);
    });
    return ok(c, result);
  });

  app.delete('/accounts/:account_id/queues/:queue_id/consumers/:consumer_id', async (c) => {
    const id = c.req.param('queue_id');
    const consumerId = c.req.param('consumer_id');
    await store.transaction((draft) => {
      const queue = requireQueue(draft, id);
      if (!queue.consumers.some((consumer) => consumer.consumer_id === consumerId)) fail('consumerNotFound', `Consumer ${consumerId} of queue ${queue.queue_name} was not found`);
      queue.consumers = queue.consumers.filter((consumer) => consumer.consumer_id !== consumerId);
    });
    return ok(c, null);
  });
}
