import { defineTemplate } from './define.ts';
import { lookupFiles, lookupSlots } from './dependencies.ts';
import { referenceTests } from './reference-tests.ts';

/** The queue template (./queue/): a queue consumer with its own producer, and an HTTP API for its jobs. */
export const queueTemplate = defineTemplate('queue', {
  summary: 'queue consumer with its own producer binding, and an HTTP API to enqueue and inspect jobs',
  bindingUse: 'lookup',
  names: ({ pascal, camel, constant }, name) => ({
    job: `${pascal}Job`,
    input: `${pascal}JobInput`,
    message: `${pascal}JobMessage`,
    event: `${camel}Job`,
    store: `${pascal}JobStore`,
    kv: constant,
    producer: `${constant}_QUEUE`,
    queue: `${name}-jobs`,
    enqueue: `enqueue${pascal}Job`,
    list: `list${pascal}Jobs`,
    get: `get${pascal}Job`,
    notFoundCode: `${name.replace(/-/g, '_')}_job_not_found`,
  }),
  contractExports: ['input', 'job', 'message', 'contract'],
  slots: (context, n) => ({
    ...lookupSlots(context, n.contract),
    'reference-tests': referenceTests(context, (fields) => `${n.api}().${n.enqueue}({ body: { task: 'with a reference', ${fields} } })`, 202),
  }),
  bindingFiles: lookupFiles,
  endpoints: (base, n) => [`POST ${base}`, `GET ${base}`, `GET ${base}/:id`, `queue ${n.queue}`],
});
