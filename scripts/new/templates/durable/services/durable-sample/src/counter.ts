import { DurableObject } from 'cloudflare:workers';
import type { Env } from './env.ts';

/**
 * One object per key (`idFromName(key)`), its state in the object's own SQLite storage: it
 * survives restarts and new versions. The class is declared in wrangler.toml by a `[[migrations]]`
 * step (`new_sqlite_classes`); renaming or deleting it takes a new step.
 */
export class DurableSampleCounter extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec('CREATE TABLE IF NOT EXISTS counter (id INTEGER PRIMARY KEY CHECK (id = 1), count INTEGER NOT NULL)');
  }

  count(): number {
    return this.ctx.storage.sql.exec<{ count: number }>('SELECT count FROM counter WHERE id = 1').toArray()[0]?.count ?? 0;
  }

  increment(): number {
    this.ctx.storage.sql.exec('INSERT INTO counter (id, count) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET count = count + 1');
    return this.count();
  }
}
