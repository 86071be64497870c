/** Cron triggers: `…/scripts/{s}/schedules`, replaced as a whole by PUT. */
import type { ScheduleRecord } from '../../store/scripts.ts';
import { SchedulesBodySchema } from '../../../../cloudflare/api/schedules.ts';
import type { ApiContext, ApiApp } from '../context.ts';
import { ok } from '../envelope.ts';
import { fail } from '../errors.ts';
import { requireScript } from '../lookup.ts';
import { jsonBody } from '../validate.ts';

/** Five space-separated fields of digits, ranges, lists, steps, `*`, `?`, `L`, `W`, `#` or names. */
const CRON_FIELD = /^[\d*?,\-/LW#A-Za-z]+$/;

export function checkCron(cron: string): void {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5 || !fields.every((field) => CRON_FIELD.test(field))) fail('validation', `"${cron}" is not a valid cron expression (expected 5 fields, e.g. "*/30 * * * *")`);
}

function schedulesResource(schedules: readonly ScheduleRecord[]): Record<string, unknown> {
  return { schedules: schedules.map((schedule) => ({ cron: schedule.cron, created_on: schedule.createdOn, modified_on: schedule.modifiedOn })) };
}

export function registerSchedules(app: ApiApp, { store }: ApiContext): void {
  app.get('/accounts/:account_id/workers/scripts/:script_name/schedules', (c) => {
    return ok(c, schedulesResource(requireScript(store.state, c.req.param('script_name')).schedules));
  });

  app.put('/accounts/:account_id/workers/scripts/:script_name/schedules', jsonBody(SchedulesBodySchema), async (c) => {
    const name = c.req.param('script_name');
    const crons = c.req.valid('json').map(({ cron }) => {
      checkCron(cron);
      return cron;
    });
    const schedules = await store.transaction((draft) => {
      const script = requireScript(draft, name);
      const now = new Date().toISOString();
      script.schedules = [...new Set(crons)].map((cron) => {
        const existing = script.schedules.find((schedule) => schedule.cron === cron);
        return existing ?? { cron, createdOn: now, modifiedOn: now };
      });
      return script.schedules;
    });
    return ok(c, schedulesResource(schedules));
  });
}
