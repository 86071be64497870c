/**
 * A content fingerprint of a shard's Miniflare workers (worker-options.ts): equal fingerprints mean
 * the same Workers with the same modules, bindings and settings, so the data plane leaves that
 * shard's workerd running (shard-set.ts). Module bytes count by their hash; functions (the tail
 * worker's sink, one per data plane) by their place only.
 */
import { createHash } from 'node:crypto';
import type { WorkerOptions } from 'miniflare';

/** Module bytes come from the edge's blob cache, the same arrays apply after apply: each is hashed once. */
const hashes = new WeakMap<Uint8Array, string>();

function bytesHash(bytes: Uint8Array): string {
  let hash = hashes.get(bytes);
  if (hash === undefined) {
    hash = createHash('sha256').update(bytes).digest('hex');
    hashes.set(bytes, hash);
  }
  return hash;
}

/** `this[key]` is the value before `toJSON` (a Buffer's would list every byte). */
function replacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  if (raw instanceof Uint8Array) return { bytes: bytesHash(raw) };
  if (typeof value === 'function') return { function: true };
  return value;
}

export function workersFingerprint(workers: readonly WorkerOptions[]): string {
  return createHash('sha256').update(JSON.stringify(workers, replacer)).digest('hex');
}
