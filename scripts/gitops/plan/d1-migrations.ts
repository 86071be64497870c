import type { Action } from './action.ts';
import type { PlanError } from './plan.ts';
import type { DesiredD1Migrations, DesiredService, DesiredState } from '../state/desired.ts';
import type { ObservedMigration, ObservedState } from '../state/observed.ts';

/** The migrations the database's table records, or none when the database does not exist yet (it is created first). */
function appliedIn(observed: ObservedState, declared: DesiredD1Migrations): ObservedMigration[] {
  const database = observed.d1Databases.find((candidate) => (declared.databaseId !== undefined ? candidate.id === declared.databaseId : candidate.name === declared.database));
  if (!database) return [];
  return observed.d1Migrations?.find((entry) => entry.databaseId === database.id && entry.table === declared.table)?.applied ?? [];
}

function planDatabase(service: DesiredService, declared: DesiredD1Migrations, observed: ObservedState): { actions: Action[]; errors: PlanError[] } {
  const applied = new Map(appliedIn(observed, declared).map((migration) => [migration.name, migration]));
  const errors: PlanError[] = [];
  for (const migration of declared.migrations) {
    const recorded = applied.get(migration.name)?.sha256;
    if (recorded !== undefined && recorded !== migration.checksum) {
      errors.push({
        service: service.name,
        file: migration.file,
        message: `migration ${migration.name} was applied to D1 database ${declared.database} with sha256:${recorded.slice(0, 12)} and the file is now sha256:${migration.checksum.slice(0, 12)}; an applied migration cannot change: restore the file and put the change in a new migration`,
      });
    }
  }
  const pending = declared.migrations.filter((migration) => !applied.has(migration.name));
  if (errors.length > 0 || pending.length === 0) return { actions: [], errors };
  const action: Action = {
    kind: 'apply-d1-migrations',
    service: service.name,
    database: declared.database,
    ...(declared.databaseId !== undefined ? { databaseId: declared.databaseId } : {}),
    table: declared.table,
    migrations: pending.map((migration) => ({ name: migration.name, sha256: migration.checksum })),
    reason: `${pending.length} of ${declared.migrations.length} migration${declared.migrations.length === 1 ? '' : 's'} in ${declared.dir} not recorded in ${declared.table}`,
  };
  return { actions: [action], errors };
}

/**
 * D1 migrations: for each database a service declares migrations for, the files its migrations
 * table does not record yet become one `apply-d1-migrations` action (run before the service's
 * version); a recorded file whose checksum changed is a plan error naming the file. Files wrangler
 * applied itself carry no checksum and are taken as they are. Two services declaring migrations
 * for one database is an error (one owner per schema).
 */
export function planD1Migrations(desired: DesiredState, observed: ObservedState): { actions: Action[]; errors: PlanError[] } {
  const actions: Action[] = [];
  const errors: PlanError[] = [];
  const owners = new Map<string, string>();
  for (const service of desired.services) {
    for (const declared of service.d1Migrations ?? []) {
      const key = `${declared.databaseId ?? declared.database}\n${declared.table}`;
      const owner = owners.get(key);
      if (owner !== undefined) {
        errors.push({ service: service.name, ...declared.source, message: `D1 database ${declared.database}: its migrations are already declared by ${owner}; one service owns a database's schema (drop migrations_dir here or use another migrations_table)` });
        continue;
      }
      owners.set(key, service.name);
      const outcome = planDatabase(service, declared, observed);
      actions.push(...outcome.actions);
      errors.push(...outcome.errors);
    }
  }
  return { actions, errors };
}
