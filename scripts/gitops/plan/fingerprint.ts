import { createHash } from 'node:crypto';
import type { ObservedState } from '../state/observed.ts';

/** JSON with object keys sorted, so equal data always serialises to equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
      const sorted: Record<string, unknown> = {};
      for (const key of Object.keys(inner).sort()) sorted[key] = (inner as Record<string, unknown>)[key];
      return sorted;
    }
    return inner;
  });
}

/** The fingerprint a plan records of the observed state it was made from. */
export function fingerprintObserved(observed: ObservedState): string {
  return createHash('sha256').update(canonicalJson(observed)).digest('hex');
}
