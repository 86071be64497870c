/**
 * Worker secrets, as Cloudflare's API shows and takes them (not in the 2024 api-schemas
 * extract: https://developers.cloudflare.com/api/resources/workers/subresources/scripts/subresources/secrets/;
 * values are never shown).
 */
import * as z from 'zod';

/** `PUT /accounts/{a}/workers/scripts/{s}/secrets`. */
export const SecretBodySchema = z.object({
  name: z.string(),
  text: z.string(),
  type: z.literal('secret_text').default('secret_text'),
});
export type SecretBody = z.input<typeof SecretBodySchema>;

export const SecretSchema = z.object({ name: z.string(), type: z.string() });
export type Secret = z.infer<typeof SecretSchema>;
