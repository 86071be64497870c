/**
 * Worker versions, as Cloudflare's API shows them (api-schemas operations
 * `worker-versions-list-versions` — paginated `result.items` — and `worker-versions-get-version-detail`).
 */
import * as z from 'zod';

export const VersionSchema = z.object({
  id: z.string(),
  number: z.number().optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});
export type Version = z.infer<typeof VersionSchema>;

export const VersionListSchema = z.object({ items: z.array(VersionSchema) });
