import type { CronSampleRun, CronSampleStatus } from '@edgeops/contracts/contracts';

/** The scheduled job's run count and last run, in KV. */
export class CronSampleRunStore {
  constructor(private readonly kv: KVNamespace) {}

  async status(): Promise<CronSampleStatus> {
    return (await this.kv.get<CronSampleStatus>('status', 'json')) ?? { runs: 0, lastRun: null };
  }

  async record(run: CronSampleRun): Promise<void> {
    const { runs } = await this.status();
    await this.kv.put('status', JSON.stringify({ runs: runs + 1, lastRun: run } satisfies CronSampleStatus));
  }
}
