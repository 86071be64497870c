import { dirname, relative, resolve } from 'node:path';
import type { Miniflare } from 'miniflare';
import { applyMigrationStatements, appliedMigrationsSql, createChecksumTableSql, createMigrationsTableSql, DEFAULT_MIGRATIONS_DIR, DEFAULT_MIGRATIONS_TABLE, readMigrationFolder } from '../cloudflare/d1/migrations.ts';
import type { Fleet } from './load.ts';

/** One migration a local run applied: `orders: DB ← 0002_orders_by_user.sql`. */
export interface AppliedMigration {
  service: string;
  binding: string;
  name: string;
}

/**
 * Applies each service's pending D1 migrations to the databases of a Miniflare running the fleet
 * (`npm run dev`, `startFleet()`), as `wrangler d1 migrations apply --local` would and as the
 * reconciler does on an account: wrangler's folder and table, each file atomically (one batch)
 * with its `d1_migrations` row and checksum. Throws on the first failing file, naming it.
 */
export async function applyFleetMigrations(fleet: Fleet, miniflare: Miniflare): Promise<AppliedMigration[]> {
  const applied: AppliedMigration[] = [];
  for (const service of fleet.services) {
    for (const database of service.config.d1_databases ?? []) {
      const folder = resolve(dirname(service.configPath), database.migrations_dir ?? DEFAULT_MIGRATIONS_DIR);
      const files = await readMigrationFolder(folder);
      if (files.length === 0) continue;
      const table = database.migrations_table ?? DEFAULT_MIGRATIONS_TABLE;
      const db = await miniflare.getD1Database(database.binding, service.name);
      await db.batch([db.prepare(createMigrationsTableSql(table)), db.prepare(createChecksumTableSql())]);
      const { results } = await db.prepare(appliedMigrationsSql(table, true)).all<{ name: string }>();
      const done = new Set(results.map((row) => row.name));
      for (const file of files.filter((candidate) => !done.has(candidate.name))) {
        try {
          await db.batch(applyMigrationStatements(table, file).map((sql) => db.prepare(sql)));
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          throw new Error(`${service.name}: D1 migration ${relative(fleet.rootDir, resolve(folder, file.name))} failed (${reason}); nothing of it was applied`, { cause: error });
        }
        applied.push({ service: service.name, binding: database.binding, name: file.name });
      }
    }
  }
  return applied;
}
