/**
 * The data plane's running shards: one Miniflare (one workerd) per shard of shard-plan.ts. An apply
 * restarts only the shards whose Workers changed (by their fingerprint, options-fingerprint.ts),
 * starts new shards and disposes the ones that are gone; the others keep running untouched.
 *
 * No two workerd may open the same stored resource at once, so a shard that gives up a resource
 * another shard takes (two components merged, a bucket newly bound) stops before any shard starts.
 * The shards to start then start side by side. When one fails to start, every shard this apply
 * touched goes back to its previous options.
 */
import { Miniflare, type MiniflareOptions } from 'miniflare';
import type { Snapshot } from '../snapshot.ts';

/** One shard as it should run. */
export interface ShardConfig {
  id: string;
  /** The part of the account this shard serves (shard-plan.ts `shardSnapshot`). */
  snapshot: Snapshot;
  options: MiniflareOptions;
  /** Of `options.workers` (options-fingerprint.ts). */
  fingerprint: string;
  /** The stored resources only this shard's workerd opens (shard-plan.ts node keys). */
  holds: readonly string[];
}

interface RunningShard extends ShardConfig {
  miniflare: Miniflare;
}

/** A shard failed to start; the shards touched went back to their previous options (unless `restoreError`). */
export class ShardStartError extends Error {
  constructor(
    readonly shard: ShardConfig,
    readonly reason: unknown,
    readonly restoreError: unknown,
  ) {
    super(`shard ${shard.id} failed to start`, { cause: reason });
    this.name = 'ShardStartError';
  }
}

async function started(options: MiniflareOptions): Promise<Miniflare> {
  const miniflare = new Miniflare(options);
  try {
    await miniflare.ready;
  } catch (error) {
    await miniflare.dispose().catch(() => undefined);
    throw error;
  }
  return miniflare;
}

/** Where `worker` of a running shard listens (its direct socket), undefined when Miniflare cannot say. */
async function directUrl(shard: RunningShard, worker: string): Promise<string | undefined> {
  return (await shard.miniflare.unsafeGetDirectURL(worker).catch(() => undefined))?.href;
}

/** The entries that have an address, as a record. */
function withAddress(entries: readonly (readonly [string, string | undefined])[]): Record<string, string> {
  return Object.fromEntries(entries.filter((entry): entry is readonly [string, string] => entry[1] !== undefined));
}

export class ShardSet {
  private readonly running = new Map<string, RunningShard>();

  /** The Miniflare running shard `id`, if it runs. */
  get(id: string | undefined): Miniflare | undefined {
    return id === undefined ? undefined : this.running.get(id)?.miniflare;
  }

  /** The ids of the shards running now. */
  ids(): string[] {
    return [...this.running.keys()];
  }

  /** Each running shard's address for `worker` (its router's direct socket); a shard that cannot say is left out. */
  async urls(worker: string): Promise<Record<string, string>> {
    const entries = await Promise.all([...this.running.values()].map(async (shard) => [shard.id, await directUrl(shard, worker)] as const));
    return withAddress(entries);
  }

  /** The direct socket addresses of the workers `workersOf` names for each running shard, by worker name; a worker whose shard cannot say is left out. */
  async workerUrls(workersOf: (shard: ShardConfig) => readonly string[]): Promise<Record<string, string>> {
    const entries = await Promise.all([...this.running.values()].flatMap((shard) => workersOf(shard).map(async (worker) => [worker, await directUrl(shard, worker)] as const)));
    return withAddress(entries);
  }

  /** What `next` changes: the shards to stop before any starts (gone, or giving up a resource), and those to start. */
  private changes(next: readonly ShardConfig[]): { stopFirst: RunningShard[]; changed: ShardConfig[] } {
    const wanted = new Map(next.map((shard) => [shard.id, shard]));
    const givesUp = (shard: RunningShard): boolean => {
      const keeps = new Set(wanted.get(shard.id)?.holds ?? []);
      return shard.holds.some((resource) => !keeps.has(resource));
    };
    const stopFirst = [...this.running.values()].filter((shard) => !wanted.has(shard.id) || givesUp(shard));
    const changed = next.filter((shard) => {
      const running = this.running.get(shard.id);
      return running === undefined || running.fingerprint !== shard.fingerprint || stopFirst.includes(running);
    });
    return { stopFirst, changed };
  }

  /** Whether running `next` restarts, starts or stops any shard. */
  restarts(next: readonly ShardConfig[]): boolean {
    const { stopFirst, changed } = this.changes(next);
    return stopFirst.length > 0 || changed.length > 0;
  }

  /** Runs `next` from now on, restarting only what changed; on a failure the previous shards run again and a {@link ShardStartError} is thrown. */
  async apply(next: readonly ShardConfig[]): Promise<void> {
    const { stopFirst, changed } = this.changes(next);
    if (stopFirst.length === 0 && changed.length === 0) return;
    const previous = new Map(this.running);
    const touched = new Set<string>();
    for (const shard of stopFirst) {
      touched.add(shard.id);
      this.running.delete(shard.id);
      await shard.miniflare.dispose().catch(() => undefined);
    }
    // What starts now holds nothing another running shard holds: the shards start side by side.
    for (const config of changed) touched.add(config.id);
    const results = await Promise.allSettled(changed.map((config) => this.start(config)));
    const failed = results.findIndex((result) => result.status === 'rejected');
    const failure = results[failed];
    const config = changed[failed];
    if (failure?.status === 'rejected' && config) throw new ShardStartError(config, failure.reason, await this.restore(touched, previous));
  }

  private async start(config: ShardConfig): Promise<void> {
    const existing = this.running.get(config.id);
    if (existing) {
      // A new Miniflare rather than `setOptions`: on a restart Miniflare binds each socket asked
      // for with port 0 to the port it had before, which another process may have taken as an
      // ephemeral port in the meantime ("Address already in use", a failed apply). A new instance
      // binds every socket afresh; the listener gets the new addresses when it is released.
      this.running.delete(config.id);
      await existing.miniflare.dispose().catch(() => undefined);
    }
    this.running.set(config.id, { ...config, miniflare: await started(config.options) });
  }

  /** Stops every touched shard, then starts the previous ones again; resolves to the error when that fails. */
  private async restore(touched: ReadonlySet<string>, previous: ReadonlyMap<string, RunningShard>): Promise<unknown> {
    for (const id of touched) {
      const shard = this.running.get(id);
      this.running.delete(id);
      await shard?.miniflare.dispose().catch(() => undefined);
    }
    let failure: unknown;
    for (const id of touched) {
      const before = previous.get(id);
      if (!before) continue;
      try {
        this.running.set(id, { ...before, miniflare: await started(before.options) });
      } catch (error) {
        failure ??= error;
      }
    }
    return failure;
  }

  async dispose(): Promise<void> {
    const shards = [...this.running.values()];
    this.running.clear();
    await Promise.all(shards.map((shard) => shard.miniflare.dispose()));
  }
}
