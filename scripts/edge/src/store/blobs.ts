/**
 * Content-addressed storage for uploaded module bodies: `<stateDir>/blobs/<sha256>`. Blobs are
 * written before the state that references them, so committed state never points at a missing blob.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from './files.ts';

export class BlobStore {
  readonly #directory: string;
  readonly #cache = new Map<string, Uint8Array>();

  constructor(stateDir: string) {
    this.#directory = join(stateDir, 'blobs');
  }

  static hash(contents: Uint8Array): string {
    return createHash('sha256').update(contents).digest('hex');
  }

  async put(contents: Uint8Array): Promise<string> {
    const hash = BlobStore.hash(contents);
    if (this.#cache.has(hash)) return hash;
    const path = join(this.#directory, hash);
    const exists = await stat(path).then(
      () => true,
      () => false,
    );
    if (!exists) await writeFileAtomic(path, contents);
    this.#cache.set(hash, contents);
    return hash;
  }

  async get(hash: string): Promise<Uint8Array> {
    const cached = this.#cache.get(hash);
    if (cached) return cached;
    const contents = new Uint8Array(await readFile(join(this.#directory, hash)));
    this.#cache.set(hash, contents);
    return contents;
  }
}
