import { Cron } from 'croner';

/**
 * Fires each deployed script's Cron Triggers on schedule, in UTC, as Cloudflare does
 * (https://developers.cloudflare.com/workers/configuration/cron-triggers/), by calling
 * `run(script, cron)` — the data plane's `scheduled`. The schedules are croner jobs (five fields;
 * croner also reads Cloudflare's `L`, `W` and `#` extensions). An expression croner rejects is
 * reported through `onError` and never fires on its own; `scheduled()` still runs it on demand.
 */
/** What the scheduler needs to know: each script's cron expressions (a `Snapshot` is one). */
export interface Schedules {
  scripts: readonly { name: string; schedules: readonly string[] }[];
}

export class CronScheduler {
  #jobs: { script: string; cron: string; job: Cron }[] = [];

  constructor(
    private readonly run: (script: string, cron: string) => Promise<void>,
    private readonly onError: (message: string) => void,
  ) {}

  update(snapshot: Schedules): void {
    this.stop();
    for (const script of snapshot.scripts) {
      for (const cron of script.schedules) {
        try {
          const job = new Cron(cron, { timezone: 'UTC', mode: '5-part', unref: true, protect: true }, async () => {
            try {
              await this.run(script.name, cron);
            } catch (error) {
              this.onError(`Cron "${cron}" of "${script.name}" failed: ${error instanceof Error ? error.message : String(error)}`);
            }
          });
          this.#jobs.push({ script: script.name, cron, job });
        } catch (error) {
          this.onError(`Cron "${cron}" of "${script.name}" will not fire on its own: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
  }

  /** The scheduled jobs and when each fires next. */
  upcoming(): { script: string; cron: string; next: Date | null }[] {
    return this.#jobs.map(({ script, cron, job }) => ({ script, cron, next: job.nextRun() }));
  }

  /** Fires every job of a script now (what its schedule would do at its next run). */
  async fireNow(script: string): Promise<void> {
    await Promise.all(this.#jobs.filter((entry) => entry.script === script).map(({ job }) => job.trigger()));
  }

  stop(): void {
    for (const { job } of this.#jobs) job.stop();
    this.#jobs = [];
  }
}
