/**
 * `npm run bench [-- [--quick] [--out <dir>] <name>...]`: runs the registered benches (all, or those
 * named), prints a table, and writes `latest.json` plus `<name>.json` per bench and `benchmarks.md`.
 * A full run writes to `bench-results/` and publishes the page to `docs/benchmarks.md`; `--quick`
 * runs every bench in a small form and writes to `bench-results/quick/` only (its figures are not
 * published). `--out` picks the results folder (the page goes there too).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import { benchEnvironment } from './environment.ts';
import { benchmarksMarkdown, formatValue } from './markdown.ts';
import { BENCHES } from './registry.ts';
import { LatestResults, StoredResult } from './result.ts';

process.env.WRANGLER_SEND_METRICS = 'false';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DOCS_PAGE = path.join(ROOT, 'docs', 'benchmarks.md');

/** Results of earlier runs of the same size, so running some benches keeps the others' latest numbers. */
async function previousResults(file: string, quick: boolean): Promise<Record<string, StoredResult>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return {};
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = LatestResults.safeParse(json);
  if (!parsed.success) {
    console.error(`bench: ignoring ${path.relative(process.cwd(), file)}, which is not a results file of this version: starting afresh`);
    return {};
  }
  return Object.fromEntries(Object.entries(parsed.data.benches).filter(([name, result]) => result.quick === quick && BENCHES.some((bench) => bench.name === name)));
}

function parseCommandLine() {
  return parseArgs({ args: process.argv.slice(2), allowPositionals: true, options: { quick: { type: 'boolean', default: false }, out: { type: 'string' } } });
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseCommandLine>;
  try {
    parsed = parseCommandLine();
  } catch (error) {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}\nusage: npm run bench -- [--quick] [--out <dir>] [<name>...]`);
    return 1;
  }
  const { quick, out } = parsed.values;
  const wanted = parsed.positionals;
  const unknown = wanted.filter((name) => !BENCHES.some((bench) => bench.name === name));
  if (unknown.length > 0) {
    console.error(`Unknown bench ${unknown.map((name) => `"${name}"`).join(', ')}; known: ${BENCHES.map((bench) => bench.name).join(', ')}`);
    return 1;
  }
  const outputDir = path.resolve(out ?? path.join(ROOT, 'bench-results', quick ? 'quick' : ''));
  const page = quick || out !== undefined ? path.join(outputDir, 'benchmarks.md') : DOCS_PAGE;
  const selected = wanted.length > 0 ? BENCHES.filter((bench) => wanted.includes(bench.name)) : BENCHES;
  await mkdir(outputDir, { recursive: true });
  const results: Record<string, StoredResult> = {};
  const table = new Table({ head: ['bench', 'metric', 'value', 'unit', 'goal', 'ok'] });
  for (const bench of selected) {
    console.error(`bench ${bench.name}${quick ? ' (quick)' : ''}: ${bench.description} …`);
    const started = performance.now();
    const result = StoredResult.parse({ ...(await bench.run({ quick })), measuredAt: new Date().toISOString(), quick });
    console.error(`bench ${bench.name}: done in ${Math.round((performance.now() - started) / 1000)} s`);
    results[bench.name] = result;
    await writeFile(path.join(outputDir, `${bench.name}.json`), `${JSON.stringify({ name: bench.name, ...result }, null, 2)}\n`);
    for (const row of result.rows) {
      table.push([bench.name, row.metric, formatValue(row.value), row.unit, row.goal ?? '', row.ok === undefined ? '' : row.ok ? 'yes' : 'NO']);
    }
  }
  const latestFile = path.join(outputDir, 'latest.json');
  const merged = { ...(await previousResults(latestFile, quick)), ...results };
  const benches = Object.fromEntries(BENCHES.flatMap((bench) => (merged[bench.name] ? [[bench.name, merged[bench.name]]] : [])));
  const latest = LatestResults.parse({ environment: await benchEnvironment(ROOT), benches });
  await writeFile(latestFile, `${JSON.stringify(latest, null, 2)}\n`);
  await writeFile(page, benchmarksMarkdown(latest, BENCHES));
  console.log(table.toString());
  for (const [name, result] of Object.entries(results)) for (const note of result.notes ?? []) console.log(`${name}: ${note}`);
  const missed = Object.entries(results).flatMap(([name, result]) => result.rows.filter((row) => row.ok === false).map((row) => `${name} ${row.metric}`));
  if (missed.length > 0) console.log(`Goals missed: ${missed.join(', ')}`);
  console.log(`Results written to ${path.relative(process.cwd(), latestFile)}; table to ${path.relative(process.cwd(), page)}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
