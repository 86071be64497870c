import { serviceBindingSlots } from './common.ts';
import type { Template, TemplateContext } from './context.ts';
import { lookupSlots, lookups, referencesTs } from './dependencies.ts';
import { referenceTests } from './reference-tests.ts';

/** Names of everything the http template (./http/) declares for a service. */
function names(context: TemplateContext) {
  const { pascal, camel, constant } = context.ids;
  return {
    item: `${pascal}Item`,
    input: `${pascal}ItemInput`,
    contract: `${camel}Contract`,
    api: `${camel}Api`,
    store: `${pascal}Store`,
    kv: constant,
    create: `create${pascal}Item`,
    list: `list${pascal}Items`,
    get: `get${pascal}Item`,
    update: `update${pascal}Item`,
    remove: `delete${pascal}Item`,
    notFoundCode: `${context.name.replace(/-/g, '_')}_item_not_found`,
  };
}

export const httpTemplate: Template = {
  summary: 'CRUD-style JSON API over KV (create, list, get, replace, delete)',
  bindingUse: 'lookup',
  dir: new URL('./http/', import.meta.url),
  placeholder: 'http-sample',
  names,
  slots: (context) => {
    const n = names(context);
    return {
      ...serviceBindingSlots(context),
      ...lookupSlots(context, n.contract),
      'request-id': lookups(context).length > 0 ? ', requestId' : '',
      'reference-tests': referenceTests(context, (fields) => `${n.api}().${n.create}({ body: { name: 'with a reference', ${fields} } })`, 201),
    };
  },
  bindingFiles: (context): Record<string, string> => (lookups(context).length > 0 ? { 'src/references.ts': referencesTs(context) } : {}),
  contractExports: (context) => {
    const n = names(context);
    return [n.item, n.input, n.contract];
  },
  endpoints: (context) => {
    const base = context.route.basePath;
    return [`POST ${base}`, `GET ${base}`, `GET ${base}/:id`, `PUT ${base}/:id`, `DELETE ${base}/:id`];
  },
};
