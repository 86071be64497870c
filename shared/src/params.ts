import * as z from 'zod';

/** `/:id`: one stored item, by the id the service gave it. */
export const IdParams = z.object({ id: z.string().min(1).max(64) });

/** `?limit=`: how many items one page of a list holds, 1 to 100, 20 when absent. */
export const PageLimit = z.coerce.number().int().min(1).max(100).default(20);

/** `?limit=&cursor=`: one page of a list, after the `cursor` the previous page answered. */
export const PageQuery = z.object({ limit: PageLimit, cursor: z.string().optional() });
