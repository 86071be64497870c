/**
 * D1 migrations the way wrangler keeps them (workers-sdk `packages/wrangler/src/d1/migrations/
 * helpers.ts` and `apply.ts`, https://developers.cloudflare.com/d1/reference/migrations/):
 * `.sql` files in the folder `migrations_dir` names (default `migrations`, beside the config),
 * applied in order of their leading number (`0001_create_orders.sql`), each recorded by file name in
 * the table `migrations_table` names (default `d1_migrations`), created as wrangler creates it.
 *
 * edgeops also records each applied file's sha256 in a table of its own (`CHECKSUM_TABLE`, keyed by
 * the same name), written in the same atomic query as the migration and wrangler's row: wrangler's
 * table keeps exactly wrangler's columns and rows, so `wrangler d1 migrations list|apply` see what
 * they would have written themselves.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { splitSqlStatements, type SqlStatement } from './sql-statements.ts';

/** wrangler's defaults (`DEFAULT_MIGRATION_PATH`, `DEFAULT_MIGRATION_TABLE` in src/d1/constants.ts). */
export const DEFAULT_MIGRATIONS_DIR = 'migrations';
export const DEFAULT_MIGRATIONS_TABLE = 'd1_migrations';
/** Where edgeops keeps the checksum of each file it applied (wrangler never reads it). */
export const CHECKSUM_TABLE = 'edgeops_migration_checksums';

/** A file name wrangler would create (`wrangler d1 migrations create`): a number, `_`, a title, `.sql`. */
export const MIGRATION_FILE_NAME = /^(\d+)_[^/\\]+\.sql$/;

export interface MigrationFile {
  /** The file name, which is what `d1_migrations.name` holds. */
  name: string;
  /** The leading number wrangler orders by. */
  number: number;
  /** sha256 of the file's bytes, hex. */
  checksum: string;
  statements: SqlStatement[];
  sql: string;
}

export class MigrationFolderError extends Error {}

export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

/** An identifier as SQLite quotes it (table names come from config). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A string literal as SQLite quotes it. */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * The migration files of `dir` in wrangler's order (by leading number), or none when the folder
 * does not exist. A `.sql` file not named `NNNN_title.sql`, two files with one number, or a file
 * with no statement is an error naming the file.
 */
export async function readMigrationFolder(dir: string): Promise<MigrationFile[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.sql'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files: MigrationFile[] = [];
  for (const name of names.sort()) {
    const match = MIGRATION_FILE_NAME.exec(name);
    if (!match) throw new MigrationFolderError(`${join(dir, name)}: a migration file is named NNNN_<title>.sql (as \`wrangler d1 migrations create\` names it)`);
    const sql = await readFile(join(dir, name), 'utf8');
    const statements = splitSqlStatements(sql);
    if (statements.length === 0) throw new MigrationFolderError(`${join(dir, name)}: the migration holds no SQL statement`);
    files.push({ name, number: Number(match[1]), checksum: migrationChecksum(sql), statements, sql });
  }
  files.sort((a, b) => a.number - b.number || a.name.localeCompare(b.name));
  for (let index = 1; index < files.length; index += 1) {
    const [previous, current] = [files[index - 1], files[index]];
    if (previous && current && previous.number === current.number) {
      throw new MigrationFolderError(`${join(dir, current.name)}: its number ${current.number} is also ${previous.name}'s; give each migration its own number`);
    }
  }
  return files;
}

/** wrangler's `initMigrationsTable` DDL, verbatim in effect. */
export function createMigrationsTableSql(table: string): string {
  return `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(table)}(
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  name       TEXT UNIQUE,
  applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
)`;
}

export function createChecksumTableSql(): string {
  return `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(CHECKSUM_TABLE)}(
  migrations_table TEXT NOT NULL,
  name             TEXT NOT NULL,
  sha256           TEXT NOT NULL,
  PRIMARY KEY (migrations_table, name)
)`;
}

/** Reads wrangler's rows, joined with edgeops' checksums when that table exists (NULL for a file wrangler applied itself). */
export function appliedMigrationsSql(table: string, withChecksums: boolean): string {
  if (!withChecksums) return `SELECT id, name, NULL AS sha256 FROM ${quoteIdentifier(table)} ORDER BY id`;
  return `SELECT m.id AS id, m.name AS name, c.sha256 AS sha256 FROM ${quoteIdentifier(table)} AS m LEFT JOIN ${quoteIdentifier(CHECKSUM_TABLE)} AS c ON c.migrations_table = ${quoteLiteral(table)} AND c.name = m.name ORDER BY m.id`;
}

/**
 * One migration as one query (D1 runs a multi-statement query atomically): its statements, then
 * wrangler's row (as wrangler's `apply` inserts it) and edgeops' checksum.
 */
export function applyMigrationStatements(table: string, file: Pick<MigrationFile, 'name' | 'checksum' | 'statements'>): string[] {
  return [
    ...file.statements.map((statement) => statement.sql),
    `INSERT INTO ${quoteIdentifier(table)} (name) VALUES (${quoteLiteral(file.name)})`,
    `INSERT OR REPLACE INTO ${quoteIdentifier(CHECKSUM_TABLE)} (migrations_table, name, sha256) VALUES (${quoteLiteral(table)}, ${quoteLiteral(file.name)}, ${quoteLiteral(file.checksum)})`,
  ];
}
