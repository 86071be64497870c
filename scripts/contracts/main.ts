import { runContractsCli } from './cli.ts';

process.exitCode = await runContractsCli(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
