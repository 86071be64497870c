/**
 * Workers custom domains, as Cloudflare's API shows and takes them (api-schemas operations
 * `worker-domain-attach-to-domain`, `worker-domain-list-domains`, `worker-domain-detach-from-domain`;
 * the script-level `PUT …/scripts/{s}/domains/records` wrangler sends is in wrangler's
 * `src/deploy/deploy.ts`).
 */
import * as z from 'zod';

/** `PUT /accounts/{a}/workers/domains`. */
export const DomainBodySchema = z.object({
  hostname: z.string(),
  service: z.string(),
  environment: z.string().default('production'),
  zone_id: z.string().optional(),
  zone_name: z.string().optional(),
});
export type DomainBody = z.input<typeof DomainBodySchema>;

/** `PUT /accounts/{a}/workers/scripts/{s}/domains/records`. */
export const DomainRecordsBodySchema = z.object({
  origins: z.array(z.object({ hostname: z.string(), zone_id: z.string().optional(), zone_name: z.string().optional() })),
  override_scope: z.boolean().optional(),
  override_existing_origin: z.boolean().optional(),
});

export const DomainSchema = z.object({
  id: z.string(),
  hostname: z.string(),
  service: z.string(),
  zone_id: z.string().optional(),
  zone_name: z.string().optional(),
  environment: z.string().optional(),
});
export type Domain = z.infer<typeof DomainSchema>;
