import type { QueueSampleJob } from '@edgeops/contracts/contracts';

const jobKey = (id: string) => `job:${id}`;

/** QueueSample jobs in KV, one key each, listed in key order with a cursor. */
export class QueueSampleJobStore {
  constructor(private readonly kv: KVNamespace) {}

  get(id: string): Promise<QueueSampleJob | null> {
    return this.kv.get<QueueSampleJob>(jobKey(id), 'json');
  }

  async put(job: QueueSampleJob): Promise<void> {
    await this.kv.put(jobKey(job.id), JSON.stringify(job));
  }

  async list(limit: number, cursor?: string): Promise<{ jobs: QueueSampleJob[]; cursor?: string }> {
    const page = await this.kv.list({ prefix: 'job:', limit, ...(cursor ? { cursor } : {}) });
    const jobs = await Promise.all(page.keys.map((key) => this.kv.get<QueueSampleJob>(key.name, 'json')));
    return {
      jobs: jobs.filter((job): job is QueueSampleJob => job !== null),
      ...(page.list_complete ? {} : { cursor: page.cursor }),
    };
  }
}
