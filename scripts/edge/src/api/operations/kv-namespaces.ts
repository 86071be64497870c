/**
 * Workers KV namespaces: the named-resource operations (list paged and ordered by `?order=` and
 * `?direction=`, create `{title}`, get, delete) plus rename (`PUT …/{namespace_id} {title}`).
 * The reconciler and `wrangler deploy` (automatic provisioning) create namespaces here; `wrangler
 * delete` lists them. The data plane binds KV by namespace id whether or not the id is registered
 * here (configs with hard-coded ids keep working); deleting a namespace unregisters it.
 */
import { KvNamespaceBodySchema, KvNamespaceListQuerySchema, type KvNamespace, type KvNamespaceBody } from '../../../../cloudflare/api/kv-namespaces.ts';
import { hexId } from '../../store/ids.ts';
import type { KvNamespaceRecord } from '../../store/kv-namespaces.ts';
import type { OperationModule } from '../context.ts';
import { ok } from '../envelope.ts';
import { fail } from '../errors.ts';
import { checkNameFree, namedPlace, namedResourceOperations, requireNamed, type NamedResourceKind } from '../named-resource.ts';
import { jsonBody } from '../validate.ts';

const ORDER_FIELDS = { id: (namespace: KvNamespaceRecord) => namespace.id, title: (namespace: KvNamespaceRecord) => namespace.title } as const;

function namespaceResource(namespace: KvNamespaceRecord): KvNamespace {
  return { id: namespace.id, title: namespace.title, supports_url_encoding: namespace.supports_url_encoding };
}

export const KV_NAMESPACES: NamedResourceKind<KvNamespaceRecord, KvNamespaceBody> = {
  ...namedPlace('kvNamespaces'),
  createBody: KvNamespaceBodySchema,
  create: (body, now) => ({ id: hexId(), title: body.title, supports_url_encoding: true, created_on: now }),
  identifiedBy: (namespace, id) => namespace.id === id,
  show: (_state, namespace) => namespaceResource(namespace),
  list: {
    select: (namespaces, c) => {
      const query = KvNamespaceListQuerySchema.safeParse({ order: c.req.query('order'), direction: c.req.query('direction') });
      if (!query.success) return fail('validation', `\`order\` must be "id" or "title" and \`direction\` "asc" or "desc"; got ${JSON.stringify(c.req.query())}`);
      const key = ORDER_FIELDS[query.data.order];
      const sign = query.data.direction === 'asc' ? 1 : -1;
      return [...namespaces].sort((a, b) => key(a).localeCompare(key(b)) * sign);
    },
  },
  /** HTTP 400, as the API documents it. */
  exists: { error: 'kvNamespaceExists', message: () => 'a namespace with this account ID and title already exists' },
  notFound: { error: 'kvNamespaceNotFound', message: (id) => `get namespace: 'namespace not found' (${id})` },
};

export const registerKvNamespaces: OperationModule = (app, context) => {
  const { store } = context;
  namedResourceOperations(KV_NAMESPACES)(app, context);

  app.put('/accounts/:account_id/storage/kv/namespaces/:namespace_id', jsonBody(KvNamespaceBodySchema), async (c) => {
    const id = c.req.param('namespace_id');
    const { title } = c.req.valid('json');
    const namespace = await store.transaction((draft) => {
      const record = requireNamed(KV_NAMESPACES, draft, id);
      checkNameFree(KV_NAMESPACES, draft, title, record);
      record.title = title;
      return record;
    });
    return ok(c, namespaceResource(namespace));
  });
};
