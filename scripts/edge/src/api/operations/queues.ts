/**
 * The Queues API subset `wrangler deploy` needs for `[[queues.producers]]` and
 * `[[queues.consumers]]`: list (by name, paged), create, get, delete, and worker consumers.
 */
import { currentDeployment } from '../../build-snapshot.ts';
import { hexId } from '../../store/ids.ts';
import type { QueueConsumerRecord, QueueRecord } from '../../store/queues.ts';
import type { EdgeState } from '../../store/state.ts';
import type { ApiContext, ApiApp } from '../context.ts';
import { ok, paginate } from '../envelope.ts';
import { fail } from '../errors.ts';
import { findScript, isRecord, readJsonBody } from '../lookup.ts';

const QUEUE_NAME = /^[a-zA-Z0-9_-]{1,63}$/;

function producers(state: Readonly<EdgeState>, queueName: string): { type: 'worker'; script: string }[] {
  return state.scripts
    .filter((script) => {
      const deployment = currentDeployment(state, script.name);
      return state.versions.some((version) => deployment?.versions.some((entry) => entry.version_id === version.id) && version.bindings.some((binding) => binding.type === 'queue' && binding.queue_name === queueName));
    })
    .map((script) => ({ type: 'worker' as const, script: script.name }));
}

function consumerResource(consumer: QueueConsumerRecord, queueName: string): Record<string, unknown> {
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

function queueResource(state: Readonly<EdgeState>, queue: QueueRecord): Record<string, unknown> {
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

function requireQueue(state: Readonly<EdgeState>, id: string): QueueRecord {
  return state.queues.find((queue) => queue.queue_id === id) ?? fail('queueNotFound', `Queue ${id} does not exist`);
}

function parseConsumer(body: unknown, state: Readonly<EdgeState>): Omit<QueueConsumerRecord, 'consumer_id' | 'created_on'> {
  if (!isRecord(body)) return fail('validation', 'the consumer body must be a JSON object {type, script_name, settings?}');
  const type = body.type ?? 'worker';
  if (type !== 'worker' && type !== 'http_pull') return fail('validation', `consumer \`type\` must be "worker" or "http_pull"; got ${JSON.stringify(type)}`);
  const script = typeof body.script_name === 'string' ? body.script_name : typeof body.script === 'string' ? body.script : undefined;
  if (type === 'worker') {
    if (script === undefined) fail('validation', 'a worker consumer needs `script_name`');
    else if (!findScript(state, script)) fail('scriptNotFound', `Worker "${script}" does not exist on your account`);
  }
  const settings = isRecord(body.settings) ? body.settings : {};
  const numeric = (key: string): number | undefined => (typeof settings[key] === 'number' ? settings[key] : undefined);
  const parsedSettings: QueueConsumerRecord['settings'] = {};
  for (const key of ['batch_size', 'max_retries', 'max_wait_time_ms', 'max_concurrency', 'retry_delay'] as const) {
    const value = numeric(key);
    if (value !== undefined) parsedSettings[key] = value;
  }
  return {
    type,
    ...(type === 'worker' && script !== undefined ? { script } : {}),
    ...(typeof body.dead_letter_queue === 'string' && body.dead_letter_queue !== '' ? { dead_letter_queue: body.dead_letter_queue } : {}),
    settings: parsedSettings,
  };
}

export function registerQueues(app: ApiApp, { store }: ApiContext): void {
  app.get('/accounts/:account_id/queues', (c) => {
    const { state } = store;
    const names = c.req.queries('name') ?? [];
    const queues = state.queues.filter((queue) => names.length === 0 || names.includes(queue.queue_name));
    const { page, info } = paginate(queues, { page: c.req.query('page'), perPage: c.req.query('per_page') }, { defaultPerPage: 100, maxPerPage: 1000 });
    return ok(c, page.map((queue) => queueResource(state, queue)), info);
  });

  app.post('/accounts/:account_id/queues', async (c) => {
    const body = await readJsonBody(c.req.raw);
    const name = isRecord(body) && typeof body.queue_name === 'string' ? body.queue_name : fail('validation', 'the body must be {queue_name: "name"}');
    if (!QUEUE_NAME.test(name)) fail('validation', `"${name}" is not a valid queue name (letters, digits, - and _, at most 63)`);
    const queue = await store.transaction((draft) => {
      if (draft.queues.some((existing) => existing.queue_name === name)) fail('queueExists', `A queue named ${name} already exists`);
      const now = new Date().toISOString();
      const record: QueueRecord = { queue_id: hexId(), queue_name: name, created_on: now, modified_on: now, consumers: [] };
      draft.queues.push(record);
      return record;
    });
    return ok(c, queueResource(store.state, queue));
  });

  app.get('/accounts/:account_id/queues/:queue_id', (c) => {
    return ok(c, queueResource(store.state, requireQueue(store.state, c.req.param('queue_id'))));
  });

  app.delete('/accounts/:account_id/queues/:queue_id', async (c) => {
    const id = c.req.param('queue_id');
    await store.transaction((draft) => {
      requireQueue(draft, id);
      draft.queues = draft.queues.filter((queue) => queue.queue_id !== id);
    });
    return ok(c, null);
  });

  app.get('/accounts/:account_id/queues/:queue_id/consumers', (c) => {
    const queue = requireQueue(store.state, c.req.param('queue_id'));
    return ok(c, queue.consumers.map((consumer) => consumerResource(consumer, queue.queue_name)));
  });

  app.post('/accounts/:account_id/queues/:queue_id/consumers', async (c) => {
    const id = c.req.param('queue_id');
    const body = await readJsonBody(c.req.raw);
    const result = await store.transaction((draft) => {
      const queue = requireQueue(draft, id);
      const consumer = parseConsumer(body, draft);
      if (consumer.type === 'worker' && queue.consumers.some((existing) => existing.type === 'worker')) fail('consumerExists', `Queue ${queue.queue_name} already has a worker consumer; update it with PUT …/consumers/{consumer_id}`);
      const record: QueueConsumerRecord = { ...consumer, consumer_id: hexId(), created_on: new Date().toISOString() };
      queue.consumers.push(record);
      queue.modified_on = record.created_on;
      return consumerResource(record, queue.queue_name);
    });
    return ok(c, result);
  });

  app.put('/accounts/:account_id/queues/:queue_id/consumers/:consumer_id', async (c) => {
    const id = c.req.param('queue_id');
    const consumerId = c.req.param('consumer_id');
    const body = await readJsonBody(c.req.raw);
    const result = await store.transaction((draft) => {
      const queue = requireQueue(draft, id);
      const index = queue.consumers.findIndex((consumer) => consumer.consumer_id === consumerId);
      const existing = queue.consumers[index] ?? fail('consumerNotFound', `Consumer ${consumerId} of queue ${queue.queue_name} was not found`);
      const record: QueueConsumerRecord = { ...parseConsumer(body, draft), consumer_id: existing.consumer_id, created_on: existing.created_on };
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
