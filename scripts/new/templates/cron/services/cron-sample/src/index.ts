import { implement } from '@edgeops/contracts';
import { cronSampleContract, type CronSampleCheck } from '@edgeops/contracts/contracts';
// @bind import-dependencies
import type { Env } from './env.ts';
import { CronSampleRunStore } from './store.ts';

const api = implement<typeof cronSampleContract, Env>(cronSampleContract, {
  async getCronSampleLastRun({ env }) {
    return { status: 200, body: await new CronSampleRunStore(env.CRON_SAMPLE).status() };
  },
});

export default {
  fetch: api.fetch,

  /** Cron (wrangler.toml [triggers]): the periodic work, then a record of the run for /cron-sample/last-run. */
  async scheduled(controller, env) {
    // The job's work goes here.
    const checks: CronSampleCheck[] = [];
    // @bind check-dependencies
    await new CronSampleRunStore(env.CRON_SAMPLE).record({
      cron: controller.cron,
      scheduledTime: new Date(controller.scheduledTime).toISOString(),
      finishedAt: new Date().toISOString(),
      checks,
    });
  },
} satisfies ExportedHandler<Env, unknown>;
