import * as z from 'zod';

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `30s`, `5m`, `2h`, `1d` → milliseconds. */
export const Duration = z
  .string()
  .regex(/^\d+(s|m|h|d)$/, 'a duration such as 30s, 5m, 2h or 1d')
  .transform((text) => Number.parseInt(text, 10) * UNIT_MS[text.slice(-1) as keyof typeof UNIT_MS]);
