/**
 * What each state file must hold, checked on every load: a file of the wrong shape (`null`, `{}`
 * where a list belongs, a record missing its id) is damage to report, never something to read as
 * empty. Loose objects, so fields a newer edge writes survive an older one's rewrite.
 */
import * as z from 'zod';
import type { CollectionName, EdgeState } from './state.ts';

const text = z.string();
const timestamp = z.string().min(1);

const account = z.looseObject({ id: z.string().min(1), name: text, token: z.string().min(1), subdomain: z.string().min(1), createdOn: timestamp });

const zone = z.looseObject({ id: z.string().min(1), name: z.string().min(1), createdOn: timestamp });

const schedule = z.looseObject({ cron: z.string().min(1), createdOn: timestamp, modifiedOn: timestamp });

const script = z.looseObject({
  name: z.string().min(1),
  tag: z.string().min(1),
  createdOn: timestamp,
  modifiedOn: timestamp,
  tags: z.array(text),
  logpush: z.boolean(),
  tailConsumers: z.array(z.looseObject({ service: text, environment: text.optional(), namespace: text.optional() })),
  observability: z.looseObject({ enabled: z.boolean(), head_sampling_rate: z.number().optional() }).nullable(),
  usageModel: z.enum(['standard', 'bundled', 'unbound']),
  lastDeployedFrom: text,
  workersDev: z.boolean(),
  previewsEnabled: z.boolean(),
  schedules: z.array(schedule),
});

const storedModule = z.looseObject({
  name: z.string().min(1),
  type: z.enum(['esm', 'commonjs', 'text', 'data', 'compiled-wasm', 'source-map']),
  hash: z.string().regex(/^[0-9a-f]{64}$/, 'expected the sha256 of a blob'),
  size: z.number().int().min(0),
});

const version = z.looseObject({
  id: z.string().min(1),
  script: z.string().min(1),
  number: z.number().int().min(1),
  createdOn: timestamp,
  source: text,
  authorEmail: text,
  annotations: z.record(z.string(), text),
  mainModule: z.string().min(1),
  modules: z.array(storedModule).min(1),
  compatibilityDate: z.string().min(1),
  compatibilityFlags: z.array(text),
  bindings: z.array(z.looseObject({ type: z.string().min(1), name: z.string().min(1) })),
  etag: text,
  handlers: z.array(text),
  startupTimeMs: z.number().min(0),
});

const deployment = z.looseObject({
  id: z.string().min(1),
  script: z.string().min(1),
  createdOn: timestamp,
  source: text,
  authorEmail: text,
  strategy: z.literal('percentage'),
  versions: z.array(z.looseObject({ version_id: z.string().min(1), percentage: z.number().min(0).max(100) })).min(1),
  annotations: z.record(z.string(), text),
});

const route = z.looseObject({ id: z.string().min(1), zoneId: z.string().min(1), pattern: z.string().min(1), script: z.string().min(1).optional() });

const domain = z.looseObject({
  id: z.string().min(1),
  hostname: z.string().min(1),
  service: z.string().min(1),
  environment: text,
  zoneId: z.string().min(1),
  zoneName: z.string().min(1),
});

const secret = z.looseObject({ script: z.string().min(1), name: z.string().min(1), type: z.literal('secret_text'), text });

const queue = z.looseObject({
  queue_id: z.string().min(1),
  queue_name: z.string().min(1),
  created_on: timestamp,
  modified_on: timestamp,
  consumers: z.array(
    z.looseObject({
      consumer_id: z.string().min(1),
      type: z.enum(['worker', 'http_pull']),
      script: z.string().min(1).optional(),
      dead_letter_queue: z.string().min(1).optional(),
      settings: z.looseObject({
        batch_size: z.number().optional(),
        max_retries: z.number().optional(),
        max_wait_time_ms: z.number().optional(),
        max_concurrency: z.number().optional(),
        retry_delay: z.number().optional(),
      }),
      created_on: timestamp,
    }),
  ),
});

const kvNamespace = z.looseObject({ id: z.string().min(1), title: z.string().min(1), supports_url_encoding: z.boolean(), created_on: timestamp });

const d1Database = z.looseObject({ uuid: z.string().min(1), name: z.string().min(1), created_at: timestamp });

const r2Bucket = z.looseObject({ name: z.string().min(1), location: z.string(), storage_class: z.string(), creation_date: timestamp });

/** One schema per collection of `EdgeState`; a new collection adds its schema here. */
export const COLLECTION_SCHEMAS: { readonly [K in CollectionName]: z.ZodType<EdgeState[K]> } = {
  account,
  zones: z.array(zone),
  scripts: z.array(script),
  versions: z.array(version),
  deployments: z.array(deployment),
  routes: z.array(route),
  domains: z.array(domain),
  secrets: z.array(secret),
  queues: z.array(queue),
  kvNamespaces: z.array(kvNamespace),
  d1Databases: z.array(d1Database),
  r2Buckets: z.array(r2Bucket),
};
