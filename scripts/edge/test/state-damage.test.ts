import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { endpointPath, writeEndpointFile } from '../../cloudflare/endpoint.ts';
import { MANIFEST_FILE, StateDamageError } from '../src/store/state-files.ts';
import { Store } from '../src/store/store.ts';

let stateDir: string;
beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'edge-state-damage-'));
});
afterEach(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

const stateFile = (name: string): string => join(stateDir, 'state', name);

/** A state directory with one KV namespace, one script's secret: what a user would lose. */
async function populated(): Promise<Store> {
  const store = await Store.open({ stateDir, zones: ['example.com'] });
  await store.transaction((draft) => {
    draft.kvNamespaces.push({ id: 'a'.repeat(32), title: 'users', supports_url_encoding: true, created_on: new Date().toISOString() });
    draft.secrets.push({ script: 'users', name: 'API_KEY', type: 'secret_text', text: 'hunter2' });
  });
  return store;
}

async function damageOf(open: Promise<unknown>): Promise<StateDamageError> {
  const error = await open.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof StateDamageError)) throw new Error(`expected a StateDamageError, got ${String(error)}`);
  return error;
}

describe('edge state damage is an error naming the file and the way out, never a silent re-creation', () => {
  const cases: { name: string; file: string; damage: string | null; says: RegExp }[] = [
    { name: 'a namespace list emptied by hand', file: 'kv-namespaces.json', damage: '[]\n', says: /kv-namespaces\.json was changed outside the edge/ },
    { name: 'the account file deleted', file: 'account.json', damage: null, says: /account\.json is missing/ },
    { name: 'scripts.json = null', file: 'scripts.json', damage: 'null\n', says: /scripts\.json is not what the edge writes \(\(the whole file\): Invalid input: expected array/ },
    { name: 'versions.json = {}', file: 'versions.json', damage: '{}\n', says: /versions\.json is not what the edge writes/ },
    { name: 'a truncated secrets file', file: 'secrets.json', damage: '[{"script":"us', says: /secrets\.json is not valid JSON/ },
    { name: 'a record missing its id', file: 'kv-namespaces.json', damage: '[{"title":"users","supports_url_encoding":true,"created_on":"x"}]\n', says: /kv-namespaces\.json is not what the edge writes \(0\.id: / },
  ];
  for (const { name, file, damage, says } of cases) {
    it(`${name}: refused with the file, the way out, and nothing rewritten`, async () => {
      await populated();
      if (damage === null) await rm(stateFile(file));
      else await writeFile(stateFile(file), damage);
      const before = await readFile(stateFile('kv-namespaces.json'), 'utf8').catch(() => '<absent>');
      const error = await damageOf(Store.open({ stateDir }));
      expect(error.message).toMatch(says);
      expect(error.message).toContain(stateFile(file));
      expect(error.message).toMatch(/Restore .* from a backup, or start over with --reset/);
      expect(await readFile(stateFile('kv-namespaces.json'), 'utf8').catch(() => '<absent>')).toBe(before);
    });
  }

  it('a damaged manifest is named too', async () => {
    await populated();
    await writeFile(join(stateDir, MANIFEST_FILE), '{"format":1,"files":{"zones.json":"x"}}');
    expect((await damageOf(Store.open({ stateDir }))).message).toMatch(/state-manifest\.json is not what the edge writes/);
  });

  it('--reset is the way out: it opens damaged state as a fresh account', async () => {
    const store = await populated();
    await writeFile(stateFile('account.json'), '{ half');
    const reset = await Store.open({ stateDir, reset: true });
    expect(reset.state.kvNamespaces).toEqual([]);
    expect(reset.state.account.token).not.toBe(store.state.account.token);
    expect((await Store.open({ stateDir })).state.account.id).toBe(reset.state.account.id);
  });

  it('a state directory from before the manifest still opens, and is guarded from then on', async () => {
    await populated();
    await rm(join(stateDir, MANIFEST_FILE));
    const reopened = await Store.open({ stateDir });
    expect(reopened.state.kvNamespaces.map((namespace) => namespace.title)).toEqual(['users']);
    await writeFile(stateFile('kv-namespaces.json'), '[]\n');
    expect((await damageOf(Store.open({ stateDir }))).message).toMatch(/kv-namespaces\.json was changed outside the edge/);
  });

  it('an account file missing from an old state directory is refused, not re-created', async () => {
    await populated();
    await rm(join(stateDir, MANIFEST_FILE));
    await rm(stateFile('account.json'));
    expect((await damageOf(Store.open({ stateDir }))).message).toMatch(/account\.json is missing while the other state files are there/);
  });
});

describe('edge state is private to its owner', () => {
  const mode = async (path: string): Promise<string> => ((await stat(path)).mode & 0o777).toString(8);

  it('the state directory is 0700 and every state file, the secrets and the token among them, 0600', async () => {
    await writeFile(join(stateDir, 'placeholder'), '');
    await populated();
    expect(await mode(stateDir)).toBe('700');
    expect(await mode(join(stateDir, 'state'))).toBe('700');
    for (const file of ['secrets.json', 'account.json', 'kv-namespaces.json']) expect(await mode(stateFile(file))).toBe('600');
    expect(await mode(join(stateDir, MANIFEST_FILE))).toBe('600');
  });

  it('endpoint.json, which holds the token, is 0600', async () => {
    await writeEndpointFile(stateDir, { apiUrl: 'http://127.0.0.1:1', url: 'http://127.0.0.1:2', accountId: 'a'.repeat(32), token: 'secret-token' });
    expect(await mode(endpointPath(stateDir))).toBe('600');
  });
});
