/**
 * Damage inside the edge's `data/` directory, where Miniflare persists KV, D1, R2 and Durable
 * Object data as SQLite databases. A database cut short (a partial copy or restore, a full disk, a
 * `truncate`) opens as if its lost pages had never existed: KV keys and rows vanish without a word.
 * Each `*.sqlite` file is checked against its own header before workerd opens it, with no SQLite
 * library: the 16-byte magic, the page size, and the page count (https://www.sqlite.org/fileformat.html#the_database_header).
 */
import { open, readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { StateDamageError } from './state-files.ts';

const MAGIC = 'SQLite format 3\0';
const HEADER_BYTES = 100;

/** What is wrong with one database file, or undefined when its size agrees with its header. */
export function sqliteHeaderProblem(header: Buffer, fileSize: number): string | undefined {
  if (fileSize === 0) return 'is empty (0 bytes)';
  if (fileSize < HEADER_BYTES) return `is truncated: ${fileSize} bytes, shorter than a SQLite header (${HEADER_BYTES})`;
  if (header.toString('latin1', 0, 16) !== MAGIC) return 'is not a SQLite database (its first 16 bytes are not "SQLite format 3")';
  // Offset 16: the page size, big-endian; 1 stands for 65536. A power of two from 512.
  const raw = header.readUInt16BE(16);
  const pageSize = raw === 1 ? 65_536 : raw;
  if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) return `has a damaged header (page size ${raw})`;
  if (fileSize % pageSize !== 0) return `is truncated: ${fileSize} bytes, not a whole number of ${pageSize}-byte pages`;
  // Offset 28: the database size in pages, valid when offset 92 (version-valid-for) equals the change counter at 24.
  const pages = header.readUInt32BE(28);
  const valid = pages > 0 && header.readUInt32BE(92) === header.readUInt32BE(24);
  if (valid && fileSize < pages * pageSize) return `is truncated: ${fileSize} bytes, its header says ${pages} pages of ${pageSize} bytes (${pages * pageSize})`;
  return undefined;
}

async function* sqliteFiles(dir: string): AsyncGenerator<string> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sqliteFiles(path);
    else if (entry.isFile() && entry.name.endsWith('.sqlite')) yield path;
  }
}

async function readHeader(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const header = Buffer.alloc(HEADER_BYTES);
    await handle.read(header, 0, HEADER_BYTES, 0);
    return header;
  } finally {
    await handle.close();
  }
}

/**
 * Throws a {@link StateDamageError} naming the first damaged database under `persistDir` (the
 * path relative to `stateDir`) and the way out; resolves when every one agrees with its header.
 */
export async function checkPersistedData(persistDir: string, stateDir: string): Promise<void> {
  for await (const path of sqliteFiles(persistDir)) {
    const { size } = await stat(path);
    const problem = sqliteHeaderProblem(await readHeader(path), size);
    if (problem) throw new StateDamageError(relative(stateDir, path), problem, stateDir);
  }
}
