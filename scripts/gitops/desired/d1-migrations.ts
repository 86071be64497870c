import { dirname, relative, resolve } from 'node:path';
import { DEFAULT_MIGRATIONS_DIR, DEFAULT_MIGRATIONS_TABLE, readMigrationFolder } from '../../cloudflare/d1/migrations.ts';
import { d1DatabaseName } from '../../cloudflare/resource-names.ts';
import type { FleetService } from '../../fleet/index.ts';
import type { DesiredD1Migrations } from '../state/desired.ts';

/**
 * The migrations each `[[d1_databases]]` entry of a service declares, read as wrangler reads them:
 * the folder `migrations_dir` names (default `migrations`, beside the wrangler config), recorded in
 * `migrations_table` (default `d1_migrations`). An entry whose folder is absent or empty has none.
 */
export async function configMigrations(service: FleetService, rootDir: string, configFile: string): Promise<DesiredD1Migrations[]> {
  const entries = await Promise.all(
    (service.config.d1_databases ?? []).map(async (database, index): Promise<DesiredD1Migrations | undefined> => {
      const folder = resolve(dirname(service.configPath), database.migrations_dir ?? DEFAULT_MIGRATIONS_DIR);
      const dir = relative(rootDir, folder);
      const files = await readMigrationFolder(folder);
      if (files.length === 0) return undefined;
      return {
        database: d1DatabaseName(database),
        ...(database.database_id !== undefined ? { databaseId: database.database_id } : {}),
        binding: database.binding,
        table: database.migrations_table ?? DEFAULT_MIGRATIONS_TABLE,
        dir,
        migrations: files.map((file) => ({ name: file.name, checksum: file.checksum, file: `${dir}/${file.name}`, statements: file.statements })),
        source: { file: configFile, key: `d1_databases.${index}` },
      };
    }),
  );
  return entries.filter((entry) => entry !== undefined);
}
