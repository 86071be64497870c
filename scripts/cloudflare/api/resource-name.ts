/**
 * The name a create body gives a named resource (a KV namespace's title, a D1 database's name):
 * bounded by the kind's documented maximum length, and not blank.
 */
import * as z from 'zod';

/** At most `maxLength` characters and not blank; `blankMessage` says which name was blank. */
export function resourceNameSchema(maxLength: number, blankMessage: string): z.ZodString {
  return z.string().max(maxLength).refine((name) => name.trim() !== '', blankMessage);
}
