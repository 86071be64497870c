/**
 * The account's workers.dev subdomain and a script's workers.dev toggle, as Cloudflare's API takes
 * them (api-schemas operation `worker-subdomain-create-subdomain`; the script toggle
 * `POST …/scripts/{s}/subdomain` is not in the 2024 extract:
 * https://developers.cloudflare.com/api/resources/workers/subresources/scripts/subresources/subdomain/).
 */
import * as z from 'zod';

/** `PUT /accounts/{a}/workers/subdomain`. */
export const AccountSubdomainBodySchema = z.object({ subdomain: z.string() });

/** `POST /accounts/{a}/workers/scripts/{s}/subdomain`. */
export const ScriptSubdomainBodySchema = z.object({ enabled: z.boolean(), previews_enabled: z.boolean().optional() });
