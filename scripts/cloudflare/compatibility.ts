/**
 * Compatibility dates and flags as Cloudflare takes them (https://developers.cloudflare.com/workers/configuration/compatibility-dates/):
 * a date is a real calendar day written YYYY-MM-DD; a flag is a lowercase identifier such as
 * `nodejs_compat` (https://developers.cloudflare.com/workers/configuration/compatibility-flags/).
 */
import * as z from 'zod';

/** True for a real calendar day written YYYY-MM-DD: `2026-02-28` is, `2026-13-45` and `2026-02-30` are not. */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export const CompatibilityDate = z.string().refine(isCalendarDate, 'a real calendar date as YYYY-MM-DD (e.g. 2026-04-01)');

export const CompatibilityFlag = z.string().regex(/^[a-z0-9_]+$/, 'a compatibility flag: lowercase letters, digits and _ (e.g. nodejs_compat)');
