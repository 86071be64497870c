/**
 * The control plane's store: the state in memory, persisted per collection. Changes run as
 * serialised transactions on a copy; a transaction commits (files written, copy swapped in) only
 * when its body and the `beforeCommit` hook (which hands the new snapshot to the data plane)
 * succeed, so a refused change leaves both memory and disk as they were.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AccountRecord } from './account.ts';
import { BlobStore } from './blobs.ts';
import { ensurePrivateDirectory, readJsonFile } from './files.ts';
import { StateFiles } from './state-files.ts';
import { COLLECTION_FILES, COLLECTION_NAMES, type CollectionName, type EdgeState } from './state.ts';
import type { ZoneRecord } from './zones.ts';
import { zoneId } from './ids.ts';

export interface StoreOptions {
  stateDir: string;
  reset?: boolean;
  accountId?: string;
  token?: string;
  zones?: readonly string[];
}

/** What `--reset` replaced: the account that was there before (its token is not kept). */
export interface ReplacedAccount {
  previousId: string;
  idChanged: boolean;
  tokenChanged: boolean;
}

export type CommitHook = (next: EdgeState) => Promise<void>;

interface PendingTransaction {
  change: (draft: EdgeState) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class Store {
  readonly blobs: BlobStore;
  /** Set when `reset` replaced an existing account with a different id or token. */
  replacedAccount: ReplacedAccount | undefined;
  readonly #files: StateFiles;
  #state: EdgeState;
  #pending: PendingTransaction[] = [];
  #draining = false;
  #beforeCommit: CommitHook | undefined;

  private constructor(stateDir: string, files: StateFiles, state: EdgeState) {
    this.#files = files;
    this.blobs = new BlobStore(stateDir);
    this.#state = state;
  }

  static async open(options: StoreOptions): Promise<Store> {
    const files = new StateFiles(options.stateDir);
    // --reset is the way out of damaged state, so a damaged account file only means "no previous account".
    const before = options.reset
      ? await readJsonFile<AccountRecord>(join(options.stateDir, 'state', COLLECTION_FILES.account)).catch(() => undefined)
      : undefined;
    if (options.reset) {
      await files.remove();
      await rm(join(options.stateDir, 'blobs'), { recursive: true, force: true });
    }
    await ensurePrivateDirectory(options.stateDir);
    await ensurePrivateDirectory(join(options.stateDir, 'state'));
    const now = new Date().toISOString();
    const loaded = await files.load();
    const account: AccountRecord = loaded.account ?? {
      id: options.accountId ?? randomBytes(16).toString('hex'),
      name: 'edgeops local edge',
      token: options.token ?? randomBytes(24).toString('base64url'),
      subdomain: 'edgeops',
      createdOn: now,
    };
    if (options.accountId !== undefined) account.id = options.accountId;
    if (options.token !== undefined) account.token = options.token;
    const zones: ZoneRecord[] = loaded.zones ?? [];
    for (const name of options.zones ?? []) {
      const normalised = name.toLowerCase();
      if (!zones.some((zone) => zone.name === normalised)) zones.push({ id: zoneId(normalised), name: normalised, createdOn: now });
    }
    const state: EdgeState = {
      account,
      zones,
      scripts: loaded.scripts ?? [],
      versions: loaded.versions ?? [],
      deployments: loaded.deployments ?? [],
      routes: loaded.routes ?? [],
      domains: loaded.domains ?? [],
      secrets: loaded.secrets ?? [],
      queues: loaded.queues ?? [],
      kvNamespaces: loaded.kvNamespaces ?? [],
      d1Databases: loaded.d1Databases ?? [],
      r2Buckets: loaded.r2Buckets ?? [],
    };
    const store = new Store(options.stateDir, files, state);
    if (before && (before.id !== account.id || before.token !== account.token)) {
      store.replacedAccount = { previousId: before.id, idChanged: before.id !== account.id, tokenChanged: before.token !== account.token };
    }
    await store.#persist(state, COLLECTION_NAMES);
    return store;
  }

  /** The committed state. Treat it as read-only; change it through `transaction`. */
  get state(): Readonly<EdgeState> {
    return this.#state;
  }

  /** Installs the hook every transaction runs on its new state before committing. */
  onBeforeCommit(hook: CommitHook): void {
    this.#beforeCommit = hook;
  }

  /**
   * Runs `change` on a copy of the state; transactions apply in the order they were asked for. If
   * it throws, or the commit hook rejects, nothing changes and the error propagates.
   *
   * Group commit: transactions that queue up while one commits are applied together, one after
   * the other on one copy, and handed to the commit hook once (the hook restarts workerd, which is
   * what costs). If the hook refuses the group, each is retried alone, so only the one at fault fails.
   */
  transaction<T>(change: (draft: EdgeState) => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ change, resolve: resolve as (value: unknown) => void, reject });
      void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    if (this.#draining) return;
    this.#draining = true;
    try {
      while (this.#pending.length > 0) {
        const group = this.#pending.splice(0);
        if (group.length === 1 || !(await this.#commitGroup(group))) {
          for (const pending of group) await this.#commitOne(pending);
        }
      }
    } finally {
      this.#draining = false;
    }
  }

  async #commitOne(pending: PendingTransaction): Promise<void> {
    try {
      const draft = structuredClone(this.#state);
      const result = await pending.change(draft);
      await this.#commit(draft);
      pending.resolve(result);
    } catch (error) {
      pending.reject(error);
    }
  }

  /** Commits a group at once; false (nothing settled, nothing changed) when the hook refuses it. */
  async #commitGroup(group: PendingTransaction[]): Promise<boolean> {
    let draft = structuredClone(this.#state);
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    for (const pending of group) {
      const before = structuredClone(draft);
      try {
        outcomes.push({ ok: true, value: await pending.change(draft) });
      } catch (error) {
        draft = before;
        outcomes.push({ ok: false, error });
      }
    }
    try {
      await this.#commit(draft);
    } catch {
      return false;
    }
    group.forEach((pending, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) pending.resolve(outcome.value);
      else pending.reject(outcome.error);
    });
    return true;
  }

  async #commit(draft: EdgeState): Promise<void> {
    const changed = COLLECTION_NAMES.filter((name) => JSON.stringify(draft[name]) !== JSON.stringify(this.#state[name]));
    if (changed.length === 0) return;
    if (this.#beforeCommit) await this.#beforeCommit(draft);
    await this.#persist(draft, changed);
    this.#state = draft;
  }

  async #persist(state: EdgeState, names: readonly CollectionName[]): Promise<void> {
    await this.#files.save(state, names);
  }
}
