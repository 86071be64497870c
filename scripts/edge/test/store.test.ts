import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withTempDir } from '../../fleet/temp-dir.ts';
import { Store } from '../src/store/store.ts';

describe('edge store', () => {
  let stateDir: string;

  withTempDir('edge-store-', (made) => (stateDir = made), { each: true });

  it('store: generates the account id and token once per state directory and keeps them', async () => {
    const first = await Store.open({ stateDir, zones: ['example.com'] });
    const second = await Store.open({ stateDir });
    expect(second.state.account.id).toBe(first.state.account.id);
    expect(second.state.account.token).toBe(first.state.account.token);
    expect(first.state.account.id).toMatch(/^[0-9a-f]{32}$/);
    expect(second.state.zones.map((zone) => zone.name)).toEqual(['example.com']);
  });

  it('store: persists each concept in its own file and leaves no temporary files behind', async () => {
    const store = await Store.open({ stateDir, zones: ['example.com'] });
    await store.transaction((draft) => {
      draft.routes.push({ id: 'r1', zoneId: draft.zones[0]?.id ?? '', pattern: 'example.com/*' });
    });
    const files = (await readdir(join(stateDir, 'state'))).sort();
    expect(files).toEqual(['account.json', 'd1-databases.json', 'deployments.json', 'domains.json', 'kv-namespaces.json', 'queues.json', 'r2-buckets.json', 'routes.json', 'scripts.json', 'secrets.json', 'versions.json', 'zones.json']);
    const routes = JSON.parse(await readFile(join(stateDir, 'state', 'routes.json'), 'utf8')) as unknown[];
    expect(routes).toHaveLength(1);
  });

  it('store: a transaction whose commit hook rejects changes neither memory nor disk', async () => {
    const store = await Store.open({ stateDir, zones: ['example.com'] });
    store.onBeforeCommit(async (next) => {
      if (next.routes.some((route) => route.pattern.includes('broken'))) throw new Error('refused by the data plane');
    });
    await expect(
      store.transaction((draft) => {
        draft.routes.push({ id: 'r1', zoneId: 'z', pattern: 'example.com/broken' });
      }),
    ).rejects.toThrow('refused by the data plane');
    expect(store.state.routes).toEqual([]);
    const reopened = await Store.open({ stateDir });
    expect(reopened.state.routes).toEqual([]);
  });

  it('store: transactions run one at a time, each seeing the previous one committed', async () => {
    const store = await Store.open({ stateDir });
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        store.transaction(async (draft) => {
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
          draft.routes.push({ id: `r${index}`, zoneId: 'z', pattern: `example.com/${draft.routes.length}` });
        }),
      ),
    );
    expect(store.state.routes.map((route) => route.pattern)).toEqual(Array.from({ length: 20 }, (_, index) => `example.com/${index}`));
  });

  it('store: transactions that queue up while one commits share one commit hook call (group commit)', async () => {
    const store = await Store.open({ stateDir });
    let hookCalls = 0;
    store.onBeforeCommit(async () => {
      hookCalls++;
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
    await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        store.transaction((draft) => {
          draft.routes.push({ id: `r${index}`, zoneId: 'z', pattern: `example.com/${index}` });
        }),
      ),
    );
    expect(store.state.routes).toHaveLength(10);
    expect(hookCalls).toBe(2);
  });

  it('store: in a refused group only the transaction at fault fails; the others commit', async () => {
    const store = await Store.open({ stateDir });
    store.onBeforeCommit(async (next) => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (next.routes.some((route) => route.pattern.includes('broken'))) throw new Error('refused by the data plane');
    });
    const patterns = ['example.com/first', 'example.com/a', 'example.com/broken', 'example.com/b'];
    const results = await Promise.allSettled(
      patterns.map((pattern, index) =>
        store.transaction((draft) => {
          draft.routes.push({ id: `r${index}`, zoneId: 'z', pattern });
        }),
      ),
    );
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(store.state.routes.map((route) => route.pattern)).toEqual(['example.com/first', 'example.com/a', 'example.com/b']);
  });

  it('store: --reset clears state and blobs but a fresh account is created', async () => {
    const first = await Store.open({ stateDir });
    const hash = await first.blobs.put(new TextEncoder().encode('module'));
    await first.transaction((draft) => {
      draft.routes.push({ id: 'r1', zoneId: 'z', pattern: 'example.com/*' });
    });
    const reset = await Store.open({ stateDir, reset: true });
    expect(reset.state.routes).toEqual([]);
    expect(reset.state.account.token).not.toBe(first.state.account.token);
    await expect(reset.blobs.get(hash)).rejects.toThrow();
  });

  it('store: a corrupt state file is reported with its path and the way out', async () => {
    const store = await Store.open({ stateDir });
    expect(store.state.scripts).toEqual([]);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(stateDir, 'state', 'scripts.json'), '{ not json');
    await expect(Store.open({ stateDir })).rejects.toThrow(/scripts\.json is not valid JSON.*--reset/);
  });
});
