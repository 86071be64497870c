import { cronSampleContract, type CronSampleCheck } from '@edgeops/contracts/contracts';
import { withTestFleet } from '@edgeops/scripts/test-fleet';
import { describe, expect, it } from 'vitest';

// The whole fleet runs in workerd, so cron-sample is reached on its route and calls the real services it binds.
const fleet = withTestFleet();
const over = fleet.client;
const cronSampleApi = () => over(cronSampleContract);
const raw = fleet.raw;

/** What each run records of the bound services it calls. */
const expectedChecks: CronSampleCheck[] = [
  // @bind expected-checks
];

const lastRun = async () => {
  const answered = await cronSampleApi().getCronSampleLastRun();
  if (answered.status !== 200) throw new Error(`last run: ${answered.status}`);
  return answered.body;
};

describe('cron-sample: scheduled job', () => {
  it('reports no run before its cron trigger first fires', async () => {
    expect(await lastRun()).toEqual({ runs: 0, lastRun: null });
  });

  it('records each run, and what each bound service answered, when its cron trigger fires', async () => {
    const cron = fleet.fleet.services.find((service) => service.name === 'cron-sample')!.config.triggers!.crons[0]!;
    const worker = await fleet.worker('cron-sample');
    const scheduledTime = new Date('2026-01-01T00:15:00.000Z');
    expect((await worker.scheduled({ cron, scheduledTime })).outcome).toBe('ok');
    expect(await lastRun()).toMatchObject({
      runs: 1,
      lastRun: { cron, scheduledTime: scheduledTime.toISOString(), checks: expectedChecks },
    });
    expect((await worker.scheduled({ cron })).outcome).toBe('ok');
    expect((await lastRun()).runs).toBe(2);
  });

  it('answers other paths under its route with 404 and other methods with 405', async () => {
    expect((await raw('/cron-sample/nothing-here')).status).toBe(404);
    expect((await raw('/cron-sample/last-run', { method: 'POST' })).status).toBe(405);
  });
});
