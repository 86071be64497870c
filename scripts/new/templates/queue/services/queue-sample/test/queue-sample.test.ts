import { queueSampleContract /* @bind contract-imports */ } from '@edgeops/contracts/contracts';
import { withTestFleet } from '@edgeops/scripts/test-fleet';
import { describe, expect, it } from 'vitest';

// The whole fleet runs in workerd, so queue-sample is reached on its route and calls the real services it binds.
const fleet = withTestFleet();
const over = fleet.client;
const queueSampleApi = () => over(queueSampleContract);
const raw = fleet.raw;

async function processed(id: string) {
  let job: unknown;
  await expect
    .poll(
      async () => {
        const found = await queueSampleApi().getQueueSampleJob({ params: { id } });
        job = found.body;
        return found.status === 200 ? found.body.status : found.status;
      },
      { timeout: 15_000, interval: 100 },
    )
    .toBe('done');
  return job;
}

describe('queue-sample: jobs through the queue-sample-jobs queue', () => {
  it('enqueues a job, and the queue consumer marks it done', async () => {
    const enqueued = await queueSampleApi().enqueueQueueSampleJob({ body: { task: 'first' } });
    expect(enqueued.status).toBe(202);
    if (enqueued.status !== 202) throw new Error('not enqueued');
    expect(enqueued.body).toMatchObject({ task: 'first', status: 'queued' });
    expect(await processed(enqueued.body.id)).toMatchObject({ id: enqueued.body.id, task: 'first', status: 'done', processedAt: expect.any(String) });
  });

  it('lists the jobs it was given', async () => {
    const ids: string[] = [];
    for (const task of ['a', 'b']) {
      const enqueued = await queueSampleApi().enqueueQueueSampleJob({ body: { task } });
      if (enqueued.status !== 202) throw new Error('not enqueued');
      ids.push(enqueued.body.id);
    }
    const listed = await queueSampleApi().listQueueSampleJobs({ query: { limit: 100 } });
    if (listed.status !== 200) throw new Error('list failed');
    expect(listed.body.jobs.map((job) => job.id)).toEqual(expect.arrayContaining(ids));
  });

  it('acknowledges and drops a malformed message instead of retrying it forever', async () => {
    const worker = await fleet.worker('queue-sample');
    const result = await worker.queue('queue-sample-jobs', [{ id: 'malformed-1', timestamp: new Date(), attempts: 1, body: { task: 42 } }]);
    expect(result.outcome).toBe('ok');
    expect(result.explicitAcks).toEqual(['malformed-1']);
    expect(result.retryMessages).toEqual([]);
  });

  it('answers an empty task with 400 naming the field, and an unknown job with 404', async () => {
    const response = await raw('/queue-sample', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ task: '' }) });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_request', issues: [{ path: 'body.task' }] } });
    expect((await queueSampleApi().getQueueSampleJob({ params: { id: 'missing' } })).status).toBe(404);
  });
});
// @bind reference-tests
