import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command, CommanderError } from 'commander';
import { formatReport, runGate } from './gate.ts';
import type { GateReport } from './report.ts';
import { staleDocuments, writeDocuments } from './generate.ts';

export interface ContractsIo {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

interface Options {
  check?: boolean;
  base?: string;
  out?: string;
  root?: string;
}

/**
 * `npm run contracts`: regenerate every service's `openapi.json` from its contract.
 * `--check`: fail when a committed document is stale. `--base <ref>`: also fail when a contract
 * changed since `ref` without the version bump it needs. Returns the exit code.
 */
export async function runContractsCli(argv: readonly string[], io: ContractsIo): Promise<number> {
  let failed = false;
  const program = new Command('contracts')
    .description("Each service's contract as an OpenAPI document, and the gate that ties contract changes to version bumps")
    .option('--check', 'change nothing; fail when a committed openapi.json is stale')
    .option('--base <ref>', 'with --check: compare with this git ref (e.g. origin/main) and fail on a change without its version bump')
    .option('--out <file>', 'with --base: write the findings as JSON (the PR comment renders them)')
    .option('--root <dir>', 'repository root (default: the current directory)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .action(async (options: Options) => {
      const rootDir = resolve(io.cwd, options.root ?? '.');
      if (!options.check) {
        if (options.base || options.out) throw new CommanderError(1, 'contracts.usage', 'error: --base and --out go with --check');
        for (const path of await writeDocuments(rootDir)) io.stdout(`wrote ${path}\n`);
        return;
      }
      for (const stale of await staleDocuments(rootDir)) {
        failed = true;
        io.stderr(`error: ${stale.path} is ${stale.problem === 'missing' ? 'missing' : 'stale (its contract or version changed)'}: run \`npm run contracts\` and commit it\n`);
      }
      if (!options.base) return;
      const report: GateReport = await runGate(rootDir, options.base);
      const text = formatReport(report);
      if (text) (report.ok ? io.stdout : io.stderr)(`${text}\n`);
      if (options.out) await writeFile(resolve(io.cwd, options.out), `${JSON.stringify(report, null, 2)}\n`);
      if (!report.ok) failed = true;
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'contracts.usage') io.stderr(`${error.message}\n`);
      return error.exitCode === 0 ? 0 : 1;
    }
    io.stderr(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  return failed ? 1 : 0;
}
