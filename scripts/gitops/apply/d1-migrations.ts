import { applyMigrationStatements, appliedMigrationsSql, createChecksumTableSql, createMigrationsTableSql } from '../../cloudflare/d1/migrations.ts';
import type { CloudflareClient } from '../api/client.ts';
import { queryD1 } from '../api/cloudflare.ts';
import { ApiError } from '../api/errors.ts';
import type { ActionOf } from '../plan/action.ts';
import type { DesiredMigration } from '../state/desired.ts';
import type { ExecutionContext } from './executors.ts';

/** Statements are joined on lines of their own, so a trailing `-- comment` cannot swallow the `;`. */
const joinStatements = (statements: readonly string[]) => statements.join('\n;\n');

/** A table no database has: the last statement of a probe, which therefore always fails and rolls back. */
const PROBE_SENTINEL = 'edgeops probe: rolled back';

function sqlMessage(error: ApiError): string {
  return error.errors.map((entry) => entry.message).join('; ') || `HTTP ${error.status}`;
}

/**
 * Which statement of a failed migration fails, found without changing anything: the first k
 * statements are run followed by a statement that always fails, so D1 rolls each probe back
 * whole; the first probe that fails on something other than the sentinel names the statement.
 */
async function locateFailure(client: CloudflareClient, databaseId: string, migration: DesiredMigration): Promise<{ index: number; message: string } | undefined> {
  for (let index = 0; index < migration.statements.length; index += 1) {
    const prefix = migration.statements.slice(0, index + 1).map((statement) => statement.sql);
    try {
      await queryD1(client, databaseId, joinStatements([...prefix, `SELECT * FROM "${PROBE_SENTINEL}"`]));
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 400) throw error;
      const message = sqlMessage(error);
      if (!message.includes(PROBE_SENTINEL)) return { index, message };
    }
  }
  return undefined;
}

function failureMessage(migration: DesiredMigration, located: { index: number; message: string } | undefined, original: string): string {
  const statement = located ? migration.statements[located.index] : undefined;
  const where = statement && located ? `${migration.file}:${statement.line}: statement ${located.index + 1} of ${migration.statements.length} failed: ${located.message}\n    ${statement.sql.replace(/\s+/g, ' ').slice(0, 200)}` : `${migration.file}: ${original}`;
  return `${where}\n  Nothing of ${migration.name} was applied (a migration runs atomically) and the deployed version keeps serving; fix the file and apply again: it resumes at ${migration.name}.`;
}

/**
 * Runs the planned migrations of one database in order, each as one atomic query with its
 * `d1_migrations` row and checksum (cloudflare/d1/migrations.ts). Creates wrangler's table (and the
 * checksum table) first, skips a migration the table already records (a retried apply), and refuses
 * a file that changed since the plan. A failing migration stops here with its file, line, statement
 * and SQLite's message; the ones before it stay applied.
 */
export async function applyD1Migrations(action: ActionOf<'apply-d1-migrations'>, context: ExecutionContext): Promise<void> {
  const declared = context.desired.services.find((service) => service.name === action.service)?.d1Migrations?.find((entry) => entry.database === action.database && entry.table === action.table);
  if (!declared) throw new Error(`${action.service}: D1 database ${action.database} no longer declares migrations; re-run plan`);
  const databaseId = action.databaseId ?? (await context.resources.idOf('d1-database', action.database));
  const { client } = context;
  await queryD1(client, databaseId, joinStatements([createMigrationsTableSql(action.table), createChecksumTableSql()]));
  const [rows] = await queryD1(client, databaseId, appliedMigrationsSql(action.table, true));
  const applied = new Set((rows?.results ?? []).map((row) => String(row.name)));
  for (const planned of action.migrations) {
    if (applied.has(planned.name)) continue;
    const migration = declared.migrations.find((candidate) => candidate.name === planned.name);
    if (!migration) throw new Error(`${action.service}: migration ${planned.name} is no longer in ${declared.dir}; re-run plan`);
    if (migration.checksum !== planned.sha256) throw new Error(`${migration.file} changed since the plan was made (sha256:${planned.sha256.slice(0, 12)} → sha256:${migration.checksum.slice(0, 12)}); re-run plan`);
    try {
      await queryD1(client, databaseId, joinStatements(applyMigrationStatements(action.table, migration)));
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 400) throw error;
      throw new Error(failureMessage(migration, await locateFailure(client, databaseId, migration), sqlMessage(error)), { cause: error });
    }
  }
}
