/**
 * D1 databases, as Cloudflare's API shows and takes them (api-schemas operations
 * `cloudflare-d1-create-database`, `cloudflare-d1-list-databases`, `cloudflare-d1-get-database`,
 * `cloudflare-d1-delete-database`; https://developers.cloudflare.com/api/resources/d1/subresources/database/).
 */
import * as z from 'zod';
import { resourceNameSchema } from './resource-name.ts';

export const D1_DATABASE_NAME_MAX_LENGTH = 64;

/** `POST /accounts/{a}/d1/database`. */
export const D1DatabaseBodySchema = z.object({ name: resourceNameSchema(D1_DATABASE_NAME_MAX_LENGTH, 'a database name must not be blank') });
export type D1DatabaseBody = z.infer<typeof D1DatabaseBodySchema>;

export const D1DatabaseSchema = z.object({
  uuid: z.string(),
  name: z.string(),
  created_at: z.string().optional(),
  version: z.string().optional(),
});
export type D1Database = z.infer<typeof D1DatabaseSchema>;
