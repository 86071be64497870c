/** Identifier shapes Cloudflare uses: 32-hex tags and UUIDs. */
import { createHash, randomBytes, randomUUID } from 'node:crypto';

export function hexId(): string {
  return randomBytes(16).toString('hex');
}

export function uuid(): string {
  return randomUUID();
}

/** Zone ids are derived from the name, so the same zone keeps its id across resets. */
export function zoneId(name: string): string {
  return createHash('sha256').update(`zone:${name}`).digest('hex').slice(0, 32);
}
