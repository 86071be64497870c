import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withTempDir } from '../../fleet/temp-dir.ts';
import { migrationChecksum, MigrationFolderError, readMigrationFolder } from '../d1/migrations.ts';
import { splitSqlStatements } from '../d1/sql-statements.ts';

describe('splitSqlStatements', () => {
  it('splits at ; outside strings, quoted names and comments, keeping the line each statement starts on', () => {
    const sql = "-- header; not a statement\nCREATE TABLE \"a;b\" (x TEXT DEFAULT 'it''s; fine');\n/* block ; */ INSERT INTO [a;b] VALUES (`q;`);\n\n  SELECT 1";
    expect(splitSqlStatements(sql)).toEqual([
      { sql: "CREATE TABLE \"a;b\" (x TEXT DEFAULT 'it''s; fine')", line: 2 },
      { sql: 'INSERT INTO [a;b] VALUES (`q;`)', line: 3 },
      { sql: 'SELECT 1', line: 5 },
    ]);
  });

  it('keeps a trigger body (with a nested CASE … END) as one statement', () => {
    const sql = 'CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  UPDATE a SET x = CASE WHEN 1 THEN 2 END;\n  DELETE FROM b;\nEND;\nSELECT 2;';
    expect(splitSqlStatements(sql).map((statement) => statement.line)).toEqual([1, 5]);
    expect(splitSqlStatements(sql)[0]?.sql.endsWith('END')).toBe(true);
  });

  it('drops comment-only and empty pieces', () => {
    expect(splitSqlStatements(';;\n-- nothing\n/* at all */;')).toEqual([]);
  });
});

describe('readMigrationFolder', () => {
  let dir: string;
  withTempDir('migrations-', (made) => (dir = made), { each: true });

  it('orders files by their leading number as wrangler does, with checksums and statements; a missing folder has none', async () => {
    await writeFile(join(dir, '0010_later.sql'), 'SELECT 10;');
    await writeFile(join(dir, '2_second.sql'), 'SELECT 2; SELECT 3;');
    await writeFile(join(dir, 'notes.txt'), 'ignored');
    const files = await readMigrationFolder(dir);
    expect(files.map((file) => [file.name, file.number, file.statements.length])).toEqual([
      ['2_second.sql', 2, 2],
      ['0010_later.sql', 10, 1],
    ]);
    expect(files[0]?.checksum).toBe(migrationChecksum('SELECT 2; SELECT 3;'));
    expect(await readMigrationFolder(join(dir, 'absent'))).toEqual([]);
  });

  it('names the file that breaks the layout: a bad name, a shared number, no statement', async () => {
    await writeFile(join(dir, 'create.sql'), 'SELECT 1;');
    await expect(readMigrationFolder(dir)).rejects.toThrow(new MigrationFolderError(`${join(dir, 'create.sql')}: a migration file is named NNNN_<title>.sql (as \`wrangler d1 migrations create\` names it)`));
    await rm(join(dir, 'create.sql'));
    await writeFile(join(dir, '0001_a.sql'), 'SELECT 1;');
    await writeFile(join(dir, '0001_b.sql'), 'SELECT 1;');
    await expect(readMigrationFolder(dir)).rejects.toThrow(/0001_b\.sql: its number 1 is also 0001_a\.sql's/);
    await rm(join(dir, '0001_b.sql'));
    await writeFile(join(dir, '0002_empty.sql'), '-- nothing yet\n');
    await expect(readMigrationFolder(dir)).rejects.toThrow(/0002_empty\.sql: the migration holds no SQL statement/);
  });
});
