import { appliedMigrationsSql, CHECKSUM_TABLE, quoteLiteral } from '../../cloudflare/d1/migrations.ts';
import type { CloudflareClient } from '../api/client.ts';
import { queryD1 } from '../api/cloudflare.ts';
import type { DesiredState } from '../state/desired.ts';
import type { ObservedD1Migrations, ObservedResource } from '../state/observed.ts';

/**
 * Reads, through the D1 query API, the applied migrations of every database whose migrations git
 * declares and that exists: wrangler's table joined with edgeops' checksums. Read only: a table
 * not created yet reads as nothing applied. Two queries per database and table.
 */
export async function observeD1Migrations(client: CloudflareClient, desired: DesiredState, databases: ObservedResource[]): Promise<ObservedD1Migrations[]> {
  const wanted = new Map<string, { databaseId: string; table: string }>();
  for (const service of desired.services) {
    for (const declared of service.d1Migrations ?? []) {
      const databaseId = databases.find((database) => (declared.databaseId !== undefined ? database.id === declared.databaseId : database.name === declared.database))?.id;
      if (databaseId !== undefined) wanted.set(`${databaseId}\n${declared.table}`, { databaseId, table: declared.table });
    }
  }
  const observed = await Promise.all(
    [...wanted.values()].map(async ({ databaseId, table }): Promise<ObservedD1Migrations> => {
      const [tables] = await queryD1(client, databaseId, `SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (${quoteLiteral(table)}, ${quoteLiteral(CHECKSUM_TABLE)})`);
      const present = new Set((tables?.results ?? []).map((row) => row.name));
      if (!present.has(table)) return { databaseId, table, applied: [] };
      const [rows] = await queryD1(client, databaseId, appliedMigrationsSql(table, present.has(CHECKSUM_TABLE)));
      return {
        databaseId,
        table,
        applied: (rows?.results ?? []).map((row) => ({ name: String(row.name), ...(typeof row.sha256 === 'string' ? { sha256: row.sha256 } : {}) })),
      };
    }),
  );
  return observed.sort((a, b) => a.databaseId.localeCompare(b.databaseId) || a.table.localeCompare(b.table));
}
