import { serviceBindingSlots } from './common.ts';
import type { Template, TemplateContext } from './context.ts';

/** Names of everything the durable template (./durable/) declares for a service. */
function names(context: TemplateContext) {
  const { pascal, camel, constant } = context.ids;
  return {
    count: `${pascal}Count`,
    key: `${pascal}Key`,
    counter: `${pascal}Counter`,
    contract: `${camel}Contract`,
    api: `${camel}Api`,
    namespace: constant,
    get: `get${pascal}Count`,
    increment: `increment${pascal}Count`,
  };
}

export const durableTemplate: Template = {
  summary: 'a Durable Object per key (SQLite storage, [[migrations]] tag v1) behind GET/POST routes',
  bindingUse: 'probe',
  dir: new URL('./durable/', import.meta.url),
  placeholder: 'durable-sample',
  names,
  // Bound services are declared (wrangler.toml [[services]], Env) for the code you add to call.
  slots: (context) => serviceBindingSlots(context),
  bindingFiles: () => ({}),
  contractExports: (context) => {
    const n = names(context);
    return [n.count, n.contract];
  },
  endpoints: (context) => [`GET ${context.route.basePath}/:key`, `POST ${context.route.basePath}/:key`],
};
