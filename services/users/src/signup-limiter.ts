import { DurableObject } from 'cloudflare:workers';
import type { Env } from './env.ts';

/**
 * Sign-up attempts per email address, one Durable Object per address (`idFromName(email)`): a
 * sliding window kept in the object's SQLite storage, so the count survives restarts and new
 * versions of the Worker. Declared in wrangler.toml (`[[durable_objects.bindings]]` SIGNUPS and
 * the `[[migrations]]` step that created the class).
 */
export class SignupLimiter extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS attempts (at INTEGER NOT NULL)');
  }

  /** Records an attempt at `now` (ms) unless `limit` attempts fall within the last `windowMs`; says whether it was allowed. */
  attempt(limit: number, windowMs: number, now: number): boolean {
    const sql = this.ctx.storage.sql;
    sql.exec('DELETE FROM attempts WHERE at <= ?', now - windowMs);
    const recent = sql.exec<{ n: number }>('SELECT count(*) AS n FROM attempts').one().n;
    if (recent >= limit) return false;
    sql.exec('INSERT INTO attempts (at) VALUES (?)', now);
    return true;
  }
}

/** Whether another sign-up attempt for `email` is allowed now (and records it). */
export async function allowSignup(env: Env, email: string): Promise<boolean> {
  const limiter = env.SIGNUPS.get(env.SIGNUPS.idFromName(email.toLowerCase()));
  return limiter.attempt(Number(env.SIGNUP_LIMIT), Number(env.SIGNUP_WINDOW_SECONDS) * 1000, Date.now());
}
