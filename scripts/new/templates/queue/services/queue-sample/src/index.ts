import { implement, validate } from '@edgeops/contracts';
import { queueSampleContract, QueueSampleJobMessage } from '@edgeops/contracts/contracts';
import type { Env } from './env.ts';
// @bind import-references
import { QueueSampleJobStore } from './store.ts';

const api = implement<typeof queueSampleContract, Env>(queueSampleContract, {
  async enqueueQueueSampleJob({ body, env, requestId }) {
    // @bind check-references
    const job = { id: crypto.randomUUID(), ...body, status: 'queued' as const, enqueuedAt: new Date().toISOString() };
    await new QueueSampleJobStore(env.QUEUE_SAMPLE).put(job);
    await env.QUEUE_SAMPLE_QUEUE.send({ id: job.id, ...body, enqueuedAt: job.enqueuedAt, requestId });
    return { status: 202, body: job };
  },

  async listQueueSampleJobs({ query, env }) {
    return { status: 200, body: await new QueueSampleJobStore(env.QUEUE_SAMPLE).list(query.limit, query.cursor) };
  },

  async getQueueSampleJob({ params, env }) {
    const job = await new QueueSampleJobStore(env.QUEUE_SAMPLE).get(params.id);
    return job
      ? { status: 200, body: job }
      : { status: 404, body: { error: { code: 'queue_sample_job_not_found', message: `No queue sample job with id ${params.id}.` } } };
  },
});

export default {
  fetch: api.fetch,

  /** `queue-sample-jobs`: does each job's work and marks it done; a malformed message is dropped and logged, not retried. */
  async queue(batch, env) {
    const store = new QueueSampleJobStore(env.QUEUE_SAMPLE);
    for (const message of batch.messages) {
      const parsed = await validate(QueueSampleJobMessage, message.body);
      if (!parsed.ok) {
        console.error(`queue-sample: dropping malformed message ${message.id}:`, JSON.stringify(parsed.issues));
        message.ack();
        continue;
      }
      const { requestId: _requestId, ...job } = parsed.value;
      // The job's work goes here.
      await store.put({ ...job, status: 'done', processedAt: new Date().toISOString() });
      message.ack();
    }
  },
} satisfies ExportedHandler<Env, unknown>;
