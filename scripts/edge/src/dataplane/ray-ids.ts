/**
 * Ray IDs for the listener's requests and answers: 16 random hex digits, as Cloudflare's (the
 * `cf-ray` header adds the colo, edge-request.ts `rayHeader`). Drawn from a pool of random bytes refilled 4 KiB at a time: one call
 * into the CSPRNG per 512 requests rather than one each (it was 4% of the listener's CPU).
 */
import { randomFillSync } from 'node:crypto';

const RAY_BYTES = 8;
const pool = Buffer.alloc(4096);
let used = pool.length;

/** A new Ray ID: 16 random hex digits. */
export function nextRayId(): string {
  if (used + RAY_BYTES > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const start = used;
  used += RAY_BYTES;
  return pool.toString('hex', start, used);
}
