import { CloudflareClient } from '../../api/client.ts';
import { createRoute, putScript } from '../../api/cloudflare.ts';
import type { TestEdge } from './edge.ts';

/**
 * Puts a Worker on the account the way someone outside the fleet would: its own tag, not ours.
 * Uploaded as a plain multipart PUT, as any Cloudflare client sends it.
 */
export async function putForeignScript(edge: TestEdge, name: string, routePattern?: string): Promise<void> {
  const client = new CloudflareClient(edge.endpoint);
  const form = new FormData();
  form.set('metadata', new Blob([JSON.stringify({ main_module: 'index.js', compatibility_date: '2025-01-01', bindings: [], tags: ['someone-else'] })], { type: 'application/json' }));
  form.set('index.js', new File([`export default { fetch() { return new Response(${JSON.stringify(name)}); } };`], 'index.js', { type: 'application/javascript+module' }));
  await putScript(client, name, form);
  if (routePattern) {
    const zones = await client.request<{ id: string; name: string }[]>('GET', '/zones', { query: { name: 'example.com' } });
    const zone = zones.result[0];
    if (!zone) throw new Error('zone example.com missing on the test edge');
    await createRoute(client, zone.id, routePattern, name);
  }
}
