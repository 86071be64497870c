/**
 * Zones, as Cloudflare's API shows and takes them (api-schemas operations `zones-get` — list,
 * paginated — and `zones-post`).
 */
import * as z from 'zod';

/** `POST /zones`. */
export const ZoneBodySchema = z.object({
  name: z.string(),
  account: z.object({ id: z.string().optional() }).optional(),
  type: z.string().optional(),
});

export const ZoneSchema = z.object({ id: z.string(), name: z.string() });
export type Zone = z.infer<typeof ZoneSchema>;
