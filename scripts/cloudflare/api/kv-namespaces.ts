/**
 * Workers KV namespaces, as Cloudflare's API shows and takes them (api-schemas operations
 * `workers-kv-namespace-create-a-namespace`, `-list-namespaces`, `-get-a-namespace`,
 * `-rename-a-namespace`, `-remove-a-namespace`;
 * https://developers.cloudflare.com/api/resources/kv/subresources/namespaces/).
 */
import * as z from 'zod';
import { resourceNameSchema } from './resource-name.ts';

export const KV_NAMESPACE_TITLE_MAX_LENGTH = 512;

/** `POST /accounts/{a}/storage/kv/namespaces` and `PUT …/{namespace_id}` (rename). */
export const KvNamespaceBodySchema = z.object({ title: resourceNameSchema(KV_NAMESPACE_TITLE_MAX_LENGTH, 'a namespace title must not be blank') });
export type KvNamespaceBody = z.infer<typeof KvNamespaceBodySchema>;

export const KvNamespaceSchema = z.object({
  id: z.string(),
  title: z.string(),
  supports_url_encoding: z.boolean().optional(),
});
export type KvNamespace = z.infer<typeof KvNamespaceSchema>;

/** `GET …/storage/kv/namespaces?order=&direction=`. */
export const KvNamespaceListQuerySchema = z.object({
  order: z.enum(['id', 'title']).default('id'),
  direction: z.enum(['asc', 'desc']).default('asc'),
});
