/**
 * The Workers KV namespace registry: list (paged, ordered), create `{title}`, get, rename, delete.
 * The reconciler and `wrangler deploy` (automatic provisioning) create namespaces here; `wrangler
 * delete` lists them. The data plane binds KV by namespace id whether or not the id is registered
 * here (configs with hard-coded ids keep working); deleting a namespace unregisters it.
 */
import { hexId } from '../../store/ids.ts';
import type { KvNamespaceRecord } from '../../store/kv-namespaces.ts';
import type { EdgeState } from '../../store/state.ts';
import type { ApiContext, ApiApp } from '../context.ts';
import { ok, paginate } from '../envelope.ts';
import { fail } from '../errors.ts';
import { isRecord, readJsonBody } from '../lookup.ts';

const MAX_TITLE_LENGTH = 512;
const ORDER_FIELDS = { id: (namespace: KvNamespaceRecord) => namespace.id, title: (namespace: KvNamespaceRecord) => namespace.title } as const;

function namespaceResource(namespace: KvNamespaceRecord): Record<string, unknown> {
  return { id: namespace.id, title: namespace.title, supports_url_encoding: namespace.supports_url_encoding };
}

function readTitle(body: unknown): string {
  const title = isRecord(body) && typeof body.title === 'string' ? body.title : fail('validation', 'the body must be {title: "namespace title"}');
  if (title.trim() === '' || title.length > MAX_TITLE_LENGTH) fail('validation', `a namespace title must be 1–${MAX_TITLE_LENGTH} characters; got ${title.length}`);
  return title;
}

function requireNamespace(state: Readonly<EdgeState>, id: string): KvNamespaceRecord {
  return state.kvNamespaces.find((namespace) => namespace.id === id) ?? fail('kvNamespaceNotFound', `get namespace: 'namespace not found' (${id})`);
}

function checkTitleFree(state: Readonly<EdgeState>, title: string, except?: string): void {
  if (state.kvNamespaces.some((namespace) => namespace.title === title && namespace.id !== except)) fail('kvNamespaceExists', 'a namespace with this account ID and title already exists');
}

export function registerKvNamespaces(app: ApiApp, { store }: ApiContext): void {
  app.get('/accounts/:account_id/storage/kv/namespaces', (c) => {
    const { state } = store;
    const orderBy = c.req.query('order') ?? 'id';
    if (orderBy !== 'id' && orderBy !== 'title') fail('validation', `\`order\` must be "id" or "title"; got ${JSON.stringify(orderBy)}`);
    const direction = c.req.query('direction') ?? 'asc';
    if (direction !== 'asc' && direction !== 'desc') fail('validation', `\`direction\` must be "asc" or "desc"; got ${JSON.stringify(direction)}`);
    const key = ORDER_FIELDS[orderBy];
    const sorted = [...state.kvNamespaces].sort((a, b) => key(a).localeCompare(key(b)) * (direction === 'asc' ? 1 : -1));
    const { page, info } = paginate(sorted, { page: c.req.query('page'), perPage: c.req.query('per_page') }, { defaultPerPage: 20, maxPerPage: 1000, minPerPage: 5 });
    return ok(c, page.map(namespaceResource), info);
  });

  app.post('/accounts/:account_id/storage/kv/namespaces', async (c) => {
    const title = readTitle(await readJsonBody(c.req.raw));
    const namespace = await store.transaction((draft) => {
      checkTitleFree(draft, title);
      const record: KvNamespaceRecord = { id: hexId(), title, supports_url_encoding: true, created_on: new Date().toISOString() };
      draft.kvNamespaces.push(record);
      return record;
    });
    return ok(c, namespaceResource(namespace));
  });

  app.get('/accounts/:account_id/storage/kv/namespaces/:namespace_id', (c) => {
    return ok(c, namespaceResource(requireNamespace(store.state, c.req.param('namespace_id'))));
  });

  app.put('/accounts/:account_id/storage/kv/namespaces/:namespace_id', async (c) => {
    const id = c.req.param('namespace_id');
    const title = readTitle(await readJsonBody(c.req.raw));
    const namespace = await store.transaction((draft) => {
      const record = requireNamespace(draft, id);
      checkTitleFree(draft, title, id);
      record.title = title;
      return record;
    });
    return ok(c, namespaceResource(namespace));
  });

  app.delete('/accounts/:account_id/storage/kv/namespaces/:namespace_id', async (c) => {
    const id = c.req.param('namespace_id');
    await store.transaction((draft) => {
      requireNamespace(draft, id);
      draft.kvNamespaces = draft.kvNamespaces.filter((namespace) => namespace.id !== id);
    });
    return ok(c, null);
  });
}
