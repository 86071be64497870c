import { createRequire } from 'node:module';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The race `patches/miniflare+*.patch` fixes (docs/reliability.md, "A Miniflare race we patch"),
 * made certain instead of rare: Miniflare's own helper-thread script, loaded through
 * `worker_threads`, is rewritten to answer each request 40 ms late and to send every notify a second
 * time 10 ms after the first, when the main thread is already waiting for its next reply. Without
 * the patch each test fails with `AssertionError: false == true`.
 */
const workerThreads = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
const OriginalWorker = workerThreads.Worker;
const NOTIFY = 'Atomics.notify(notifyHandle, /* index */ 0);';
const ON_MESSAGE = 'port.addEventListener("message", async (event) => {';
let rewritten = 0;

class LateNotifyWorker extends OriginalWorker {
  constructor(script: string | URL, options?: import('node:worker_threads').WorkerOptions) {
    if (options?.eval === true && typeof script === 'string' && script.includes(NOTIFY) && script.includes(ON_MESSAGE)) {
      rewritten++;
      script = script
        .replace(ON_MESSAGE, `${ON_MESSAGE} await new Promise((resolve) => setTimeout(resolve, 40));`)
        .replace(NOTIFY, `${NOTIFY} setTimeout(() => Atomics.notify(notifyHandle, 0), 10);`);
    }
    super(script, options);
  }
}

let miniflare: Miniflare;
beforeAll(async () => {
  workerThreads.Worker = LateNotifyWorker;
  miniflare = new Miniflare({
    modules: true,
    script: 'export default { fetch() { return new Response("ok"); } };',
    compatibilityDate: '2025-09-01',
    d1Databases: { DB: 'wakeup-db' },
    kvNamespaces: { KV: 'wakeup-kv' },
  });
  await miniflare.ready;
});
afterAll(async () => {
  workerThreads.Worker = OriginalWorker;
  await miniflare?.dispose();
});

describe("Miniflare's binding proxies under a late notify from the previous call", () => {
  it('a D1 batch and query from Node: each synchronous step waits for its own reply', async () => {
    const db = await miniflare.getD1Database('DB');
    await db.batch([db.prepare('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)'), db.prepare("INSERT INTO t (name) VALUES ('a'), ('b')")]);
    const { results } = await db.prepare('SELECT name FROM t ORDER BY id').all<{ name: string }>();
    expect(results).toEqual([{ name: 'a' }, { name: 'b' }]);
    // The helper thread was Miniflare's, rewritten as described: the interleaving really happened.
    expect(rewritten).toBe(1);
  });

  it('a KV write and read from Node through a fresh proxy', async () => {
    const kv = await miniflare.getKVNamespace('KV');
    await kv.put('k', 'v');
    expect(await (await miniflare.getKVNamespace('KV')).get('k')).toBe('v');
  });
});
