import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface CachedVersion {
  number?: number;
  tag?: string;
  hash?: string;
}

/**
 * What we learned about Worker versions, by version id. A version's number and annotations never
 * change once uploaded, so entries never go stale; the cache only saves API calls (a no-op plan
 * then costs one deployments call per service). Optionally persisted as JSON.
 */
export class VersionCache {
  readonly #entries = new Map<string, CachedVersion>();
  #dirty = false;

  constructor(readonly file?: string) {}

  static async load(file?: string): Promise<VersionCache> {
    const cache = new VersionCache(file);
    if (!file) return cache;
    try {
      const stored = JSON.parse(await readFile(file, 'utf8')) as Record<string, CachedVersion>;
      for (const [key, value] of Object.entries(stored)) cache.#entries.set(key, value);
    } catch {
      // No cache yet (or unreadable): start empty.
    }
    return cache;
  }

  get(key: string): CachedVersion | undefined {
    return this.#entries.get(key);
  }

  set(key: string, value: CachedVersion): void {
    this.#entries.set(key, value);
    this.#dirty = true;
  }

  async save(): Promise<void> {
    if (!this.file || !this.#dirty) return;
    await mkdir(dirname(this.file), { recursive: true });
    await writeFile(this.file, JSON.stringify(Object.fromEntries(this.#entries)));
    this.#dirty = false;
  }
}
