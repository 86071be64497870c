import { describe, expect, it } from 'vitest';
import {
  BINDING_TYPES,
  DeclaredBinding,
  miniflareBindings,
  secretBindings,
  UploadBinding,
  uploadBindingsOf,
  type BindingsConfig,
  type MiniflareBindings,
} from '../bindings/index.ts';

/** One binding of every kind a wrangler config can declare, with and without resource ids. */
const CONFIG: BindingsConfig = {
  name: 'shop',
  vars: { GREETING: 'hi', LIMITS: { max: 3 }, ENABLED: true },
  kv_namespaces: [{ binding: 'CACHE', id: 'kv-id' }, { binding: 'USER_CACHE' }],
  d1_databases: [
    { binding: 'DB', database_name: 'shop-db', database_id: 'd1-id' },
    { binding: 'ARCHIVE', database_name: 'archive' },
  ],
  r2_buckets: [{ binding: 'FILES', bucket_name: 'files' }],
  services: [
    { binding: 'USERS', service: 'users' },
    { binding: 'AUTH', service: 'auth', entrypoint: 'Auth', environment: 'production' },
  ],
  queues: { producers: [{ binding: 'JOBS', queue: 'jobs' }], consumers: [{ queue: 'other' }] },
  durable_objects: { bindings: [{ name: 'LIMITER', class_name: 'RateLimiter' }, { name: 'CART', class_name: 'Cart', script_name: 'carts' }] },
};

describe('bindings: wrangler config → upload metadata → Miniflare options', () => {
  const upload = [...uploadBindingsOf(CONFIG), ...secretBindings({ API_KEY: 's3cret' })];

  it('config → upload metadata: the shapes Cloudflare\'s metadata.bindings[] takes, in config order', () => {
    expect(upload).toEqual([
      { type: 'plain_text', name: 'GREETING', text: 'hi' },
      { type: 'json', name: 'LIMITS', json: { max: 3 } },
      { type: 'json', name: 'ENABLED', json: true },
      { type: 'kv_namespace', name: 'CACHE', namespace_id: 'kv-id' },
      // Without an id the namespace is named as wrangler provisions it: `<worker>-<binding, kebab>`.
      { type: 'kv_namespace', name: 'USER_CACHE', namespace_title: 'shop-user-cache' },
      { type: 'd1', name: 'DB', id: 'd1-id' },
      { type: 'd1', name: 'ARCHIVE', database_name: 'archive' },
      { type: 'r2_bucket', name: 'FILES', bucket_name: 'files' },
      { type: 'service', name: 'USERS', service: 'users' },
      { type: 'service', name: 'AUTH', service: 'auth', environment: 'production', entrypoint: 'Auth' },
      { type: 'queue', name: 'JOBS', queue_name: 'jobs' },
      { type: 'durable_object_namespace', name: 'LIMITER', class_name: 'RateLimiter' },
      { type: 'durable_object_namespace', name: 'CART', class_name: 'Cart', script_name: 'carts' },
      { type: 'secret_text', name: 'API_KEY', text: 's3cret' },
    ]);
  });

  it('every binding type has a mapping, and the round trip exercises each one', () => {
    expect(new Set(upload.map((binding) => binding.type))).toEqual(new Set(BINDING_TYPES));
  });

  it('upload metadata → Miniflare options (named resources use their name as the local id)', () => {
    const expected: MiniflareBindings = {
      bindings: { GREETING: 'hi', LIMITS: { max: 3 }, ENABLED: true, API_KEY: 's3cret' },
      kvNamespaces: { CACHE: 'kv-id', USER_CACHE: 'shop-user-cache' },
      d1Databases: { DB: 'd1-id', ARCHIVE: 'archive' },
      r2Buckets: { FILES: 'files' },
      queueProducers: { JOBS: { queueName: 'jobs' } },
      serviceBindings: { USERS: 'users', AUTH: { name: 'auth', entrypoint: 'Auth' } },
      // A class without script_name is this worker's own; dev names the other worker as declared.
      durableObjects: { LIMITER: { className: 'RateLimiter' }, CART: { className: 'Cart', scriptName: 'carts' } },
    };
    expect(miniflareBindings(upload)).toEqual(expected);
  });

  it('a runtime chooses where service bindings go (the edge: one worker per version)', () => {
    const options = miniflareBindings(upload, (binding) => `${binding.service}@v1`);
    expect(options.serviceBindings).toEqual({ USERS: 'users@v1', AUTH: 'auth@v1' });
  });

  it('a runtime chooses where Durable Object classes live and their storage (the edge: the primary version, a stable key)', () => {
    const options = miniflareBindings(upload, undefined, (binding) => ({ className: binding.class_name, scriptName: `${binding.script_name ?? 'shop'}@v1`, useSQLite: true, unsafeUniqueKey: `key-${binding.class_name}` }));
    expect(options.durableObjects).toEqual({
      LIMITER: { className: 'RateLimiter', scriptName: 'shop@v1', useSQLite: true, unsafeUniqueKey: 'key-RateLimiter' },
      CART: { className: 'Cart', scriptName: 'carts@v1', useSQLite: true, unsafeUniqueKey: 'key-Cart' },
    });
  });

  it('what the reconciler uploads (ids resolved) is what the edge accepts and runs, unchanged', () => {
    const resolved = upload.map((binding) =>
      'namespace_title' in binding ? { type: binding.type, name: binding.name, namespace_id: 'kv-2' } : 'database_name' in binding ? { type: binding.type, name: binding.name, id: 'd1-2' } : binding,
    );
    const accepted = resolved.map((binding) => UploadBinding.parse(binding));
    expect(accepted).toEqual(resolved);
    expect(miniflareBindings(accepted).kvNamespaces).toEqual({ CACHE: 'kv-id', USER_CACHE: 'kv-2' });
  });

  it('a named resource is a declared binding but never an uploadable one', () => {
    const named = { type: 'kv_namespace', name: 'USER_CACHE', namespace_title: 'shop-user-cache' };
    expect(DeclaredBinding.safeParse(named).success).toBe(true);
    const refused = UploadBinding.safeParse(named);
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.path).toEqual(['namespace_id']);
  });

  it('a config with no bindings maps to empty options', () => {
    expect(uploadBindingsOf({ name: 'bare' })).toEqual([]);
    expect(miniflareBindings([])).toEqual({ bindings: {}, kvNamespaces: {}, d1Databases: {}, r2Buckets: {}, queueProducers: {}, serviceBindings: {}, durableObjects: {} });
  });
});
