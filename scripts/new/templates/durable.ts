import { defineTemplate } from './define.ts';

/**
 * The durable template (./durable/): a Durable Object per key behind GET/POST routes. Bound
 * services are declared (wrangler.toml [[services]], Env) for the code you add to call.
 */
export const durableTemplate = defineTemplate('durable', {
  summary: 'a Durable Object per key (SQLite storage, [[migrations]] tag v1) behind GET/POST routes',
  bindingUse: 'probe',
  names: ({ pascal, constant }) => ({
    count: `${pascal}Count`,
    key: `${pascal}Key`,
    counter: `${pascal}Counter`,
    namespace: constant,
    get: `get${pascal}Count`,
    increment: `increment${pascal}Count`,
  }),
  contractExports: ['count', 'contract'],
  endpoints: (base) => [`GET ${base}/:key`, `POST ${base}/:key`],
});
