import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFleet } from '../../fleet/index.ts';
import { buildDesiredState } from '../desired/build.ts';
import { makePlan } from '../plan/make-plan.ts';
import { planActions } from '../plan/plan.ts';
import type { DesiredD1Migrations } from '../state/desired.ts';
import { createFixtureFleet, removeFixtureFleets, writeService } from '../synthetic/fleet.ts';
import { desiredState, observedState, planOptions, service } from './support/builders.ts';

/** The pure side of D1 migrations: what the plan makes of a folder and the observed rows, and how git's folder is read. */
const options = planOptions();

function migrations(database: string, names: string[], overrides: Partial<DesiredD1Migrations> = {}): DesiredD1Migrations {
  return {
    database,
    binding: 'DB',
    table: 'd1_migrations',
    dir: 'services/shop/migrations',
    migrations: names.map((name) => ({ name, checksum: `sum-${name}`, file: `services/shop/migrations/${name}`, statements: [{ sql: 'SELECT 1', line: 1 }] })),
    source: { file: 'services/shop/wrangler.toml', key: 'd1_databases.0' },
    ...overrides,
  };
}

afterAll(async () => {
  await removeFixtureFleets();
});

describe('plan: D1 migrations', () => {
  it('lists only the files the table does not record, for a database that exists; all of them for one created by this plan', () => {
    const desired = desiredState([service('shop', { d1Migrations: [migrations('shop-db', ['0001_a.sql', '0002_b.sql'])] })]);
    const existing = observedState({
      d1Databases: [{ id: 'db-1', name: 'shop-db' }],
      d1Migrations: [{ databaseId: 'db-1', table: 'd1_migrations', applied: [{ name: '0001_a.sql', sha256: 'sum-0001_a.sql' }] }],
    });
    const plan = makePlan(desired, existing, options);
    expect(planActions(plan).filter((action) => action.kind === 'apply-d1-migrations')).toEqual([
      expect.objectContaining({ service: 'shop', database: 'shop-db', migrations: [{ name: '0002_b.sql', sha256: 'sum-0002_b.sql' }] }),
    ]);
    const fresh = makePlan(desired, observedState(), options);
    expect(planActions(fresh).find((action) => action.kind === 'apply-d1-migrations')).toMatchObject({ migrations: [{ name: '0001_a.sql' }, { name: '0002_b.sql' }] });
  });

  it('refuses two services declaring migrations for one database', () => {
    const desired = desiredState([
      service('shop', { d1Migrations: [migrations('shared-db', ['0001_a.sql'])] }),
      service('stock', { d1Migrations: [migrations('shared-db', ['0001_a.sql'], { source: { file: 'services/stock/wrangler.toml', key: 'd1_databases.0' } })] }),
    ]);
    const plan = makePlan(desired, observedState(), options);
    expect(plan.errors).toEqual([
      { service: 'stock', file: 'services/stock/wrangler.toml', key: 'd1_databases.0', message: expect.stringContaining('D1 database shared-db: its migrations are already declared by shop') },
    ]);
    expect(plan.waves).toEqual([]);
  });
});

describe('desired state: the migrations folder', () => {
  it('reads migrations_dir and migrations_table as wrangler does; a badly named file stops with its path', async () => {
    const rootDir = await createFixtureFleet([]);
    await writeService(rootDir, { name: 'shop', extraToml: '[[d1_databases]]\nbinding = "DB"\ndatabase_name = "shop-db"\nmigrations_dir = "schema"\nmigrations_table = "schema_log"\n' });
    await mkdir(join(rootDir, 'services/shop/schema'), { recursive: true });
    await writeFile(join(rootDir, 'services/shop/schema/0001_items.sql'), 'CREATE TABLE items (name TEXT);\n');
    const { desired } = await buildDesiredState(await loadFleet(rootDir));
    expect(desired.services[0]?.d1Migrations).toEqual([
      expect.objectContaining({ database: 'shop-db', table: 'schema_log', dir: 'services/shop/schema', migrations: [expect.objectContaining({ name: '0001_items.sql', file: 'services/shop/schema/0001_items.sql' })] }),
    ]);

    await writeFile(join(rootDir, 'services/shop/schema/items-v2.sql'), 'SELECT 1;\n');
    await expect(buildDesiredState(await loadFleet(rootDir))).rejects.toThrow(`${join(rootDir, 'services/shop/schema/items-v2.sql')}: a migration file is named NNNN_<title>.sql`);
  }, 60_000);
});
