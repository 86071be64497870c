/**
 * Cron triggers, as Cloudflare's API shows and takes them (api-schemas operations
 * `worker-cron-trigger-get-cron-triggers`, `worker-cron-trigger-update-cron-triggers`).
 */
import * as z from 'zod';

/** `PUT /accounts/{a}/workers/scripts/{s}/schedules`: the whole list, replacing what was there. */
export const SchedulesBodySchema = z.array(z.object({ cron: z.string() }));
export type SchedulesBody = z.infer<typeof SchedulesBodySchema>;

export const SchedulesSchema = z.object({
  schedules: z.array(z.object({ cron: z.string(), created_on: z.string().nullish(), modified_on: z.string().nullish() })),
});
export type Schedules = z.infer<typeof SchedulesSchema>;
