/** Which client made a change, as Cloudflare records it (`source`, `last_deployed_from`). */
import type { Context } from 'hono';

export function requestSource(c: Context): string {
  return (c.req.header('user-agent') ?? '').startsWith('wrangler/') ? 'wrangler' : 'api';
}
