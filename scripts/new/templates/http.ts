import { defineTemplate } from './define.ts';
import { lookupFiles, lookupSlots, lookups } from './dependencies.ts';
import { referenceTests } from './reference-tests.ts';

/** The http template (./http/): a CRUD-style JSON API over KV. */
export const httpTemplate = defineTemplate('http', {
  summary: 'CRUD-style JSON API over KV (create, list, get, replace, delete)',
  bindingUse: 'lookup',
  names: ({ pascal, constant }, name) => ({
    item: `${pascal}Item`,
    input: `${pascal}ItemInput`,
    store: `${pascal}Store`,
    kv: constant,
    create: `create${pascal}Item`,
    list: `list${pascal}Items`,
    get: `get${pascal}Item`,
    update: `update${pascal}Item`,
    remove: `delete${pascal}Item`,
    notFoundCode: `${name.replace(/-/g, '_')}_item_not_found`,
  }),
  contractExports: ['item', 'input', 'contract'],
  slots: (context, n) => ({
    ...lookupSlots(context, n.contract),
    'request-id': lookups(context).length > 0 ? ', requestId' : '',
    'reference-tests': referenceTests(context, (fields) => `${n.api}().${n.create}({ body: { name: 'with a reference', ${fields} } })`, 201),
  }),
  bindingFiles: lookupFiles,
  endpoints: (base) => [`POST ${base}`, `GET ${base}`, `GET ${base}/:id`, `PUT ${base}/:id`, `DELETE ${base}/:id`],
});
