import { serviceBindingSlots } from './common.ts';
import type { Template, TemplateContext } from './context.ts';
import { lookupSlots, lookups, referencesTs } from './dependencies.ts';
import { referenceTests } from './reference-tests.ts';

/** Names of everything the queue template (./queue/) declares for a service. */
function names(context: TemplateContext) {
  const { pascal, camel, constant } = context.ids;
  return {
    job: `${pascal}Job`,
    input: `${pascal}JobInput`,
    message: `${pascal}JobMessage`,
    event: `${camel}Job`,
    contract: `${camel}Contract`,
    api: `${camel}Api`,
    store: `${pascal}JobStore`,
    kv: constant,
    producer: `${constant}_QUEUE`,
    queue: `${context.name}-jobs`,
    enqueue: `enqueue${pascal}Job`,
    list: `list${pascal}Jobs`,
    get: `get${pascal}Job`,
    notFoundCode: `${context.name.replace(/-/g, '_')}_job_not_found`,
  };
}

export const queueTemplate: Template = {
  summary: 'queue consumer with its own producer binding, and an HTTP API to enqueue and inspect jobs',
  bindingUse: 'lookup',
  dir: new URL('./queue/', import.meta.url),
  placeholder: 'queue-sample',
  names,
  slots: (context) => {
    const n = names(context);
    return {
      ...serviceBindingSlots(context),
      ...lookupSlots(context, n.contract),
      'reference-tests': referenceTests(context, (fields) => `${n.api}().${n.enqueue}({ body: { task: 'with a reference', ${fields} } })`, 202),
    };
  },
  bindingFiles: (context): Record<string, string> => (lookups(context).length > 0 ? { 'src/references.ts': referencesTs(context) } : {}),
  contractExports: (context) => {
    const n = names(context);
    return [n.input, n.job, n.message, n.contract];
  },
  endpoints: (context) => {
    const base = context.route.basePath;
    return [`POST ${base}`, `GET ${base}`, `GET ${base}/:id`, `queue ${names(context).queue}`];
  },
};
