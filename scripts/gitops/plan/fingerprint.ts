import { createHash } from 'node:crypto';
import { canonicalJson } from '../state/canonical-json.ts';
import type { ObservedState } from '../state/observed.ts';

/** The fingerprint a plan records of the observed state it was made from. */
export function fingerprintObserved(observed: ObservedState): string {
  return createHash('sha256').update(canonicalJson(observed)).digest('hex');
}
