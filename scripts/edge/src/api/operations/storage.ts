/**
 * Workers KV namespace listing, which `wrangler delete` reads to clean up Workers Sites. The edge
 * keeps no namespace registry (KV bindings name namespace ids directly), so the list is empty.
 */
import type { ApiContext, ApiApp } from '../context.ts';
import { ok } from '../envelope.ts';
import { checkAccount } from '../lookup.ts';

export function registerStorage(app: ApiApp, { store }: ApiContext): void {
  app.get('/accounts/:account_id/storage/kv/namespaces', (c) => {
    checkAccount(store.state, c.req.param('account_id'));
    const perPage = Number.parseInt(c.req.query('per_page') ?? '20', 10) || 20;
    const page = Number.parseInt(c.req.query('page') ?? '1', 10) || 1;
    return ok(c, [], { page, per_page: perPage, count: 0, total_count: 0, total_pages: 1 });
  });
}
