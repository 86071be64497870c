/**
 * `npm run bench [-- <name>...]`: runs the registered benches (all, or those named), prints a
 * table, and writes `bench-results/latest.json` plus `bench-results/<name>.json`.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { BENCHES } from './registry.ts';
import type { BenchResult } from './result.ts';

process.env.WRANGLER_SEND_METRICS = 'false';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUTPUT_DIR = path.join(ROOT, 'bench-results');

function formatValue(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return value >= 100 ? value.toFixed(0) : value.toFixed(value >= 10 ? 1 : 3);
}

/** Results of earlier runs, so running some benches keeps the others' latest numbers. */
type StoredResult = BenchResult & { measuredAt: string };

async function previousResults(file: string): Promise<Record<string, StoredResult>> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as { benches?: Record<string, StoredResult> };
    return parsed.benches ?? {};
  } catch {
    return {};
  }
}

async function main(): Promise<number> {
  const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const unknown = wanted.filter((name) => !BENCHES.some((bench) => bench.name === name));
  if (unknown.length > 0) {
    console.error(`Unknown bench ${unknown.map((name) => `"${name}"`).join(', ')}; known: ${BENCHES.map((bench) => bench.name).join(', ')}`);
    return 1;
  }
  const selected = wanted.length > 0 ? BENCHES.filter((bench) => wanted.includes(bench.name)) : BENCHES;
  await mkdir(OUTPUT_DIR, { recursive: true });
  const results: Record<string, StoredResult> = {};
  const table = new Table({ head: ['bench', 'metric', 'value', 'unit', 'goal', 'ok'] });
  for (const bench of selected) {
    console.error(`bench ${bench.name}: ${bench.description} …`);
    const result: StoredResult = { ...(await bench.run()), measuredAt: new Date().toISOString() };
    results[bench.name] = result;
    await writeFile(path.join(OUTPUT_DIR, `${bench.name}.json`), `${JSON.stringify({ name: bench.name, ...result }, null, 2)}\n`);
    for (const row of result.rows) {
      table.push([bench.name, row.metric, formatValue(row.value), row.unit, row.goal ?? '', row.ok === undefined ? '' : row.ok ? 'yes' : 'NO']);
    }
  }
  const latestFile = path.join(OUTPUT_DIR, 'latest.json');
  const benches = { ...(await previousResults(latestFile)), ...results };
  const latest = { generatedAt: new Date().toISOString(), node: process.version, platform: `${process.platform}-${process.arch}`, benches };
  await writeFile(latestFile, `${JSON.stringify(latest, null, 2)}\n`);
  console.log(table.toString());
  for (const [name, result] of Object.entries(results)) for (const note of result.notes ?? []) console.log(`${name}: ${note}`);
  const missed = Object.entries(results).flatMap(([name, result]) => result.rows.filter((row) => row.ok === false).map((row) => `${name} ${row.metric}`));
  if (missed.length > 0) console.log(`Goals missed: ${missed.join(', ')}`);
  console.log(`Results written to ${path.relative(process.cwd(), path.join(OUTPUT_DIR, 'latest.json'))}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
