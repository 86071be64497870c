import { fileURLToPath } from 'node:url';
import { runCli } from './cli.ts';

process.env.WRANGLER_SEND_METRICS = 'false';

/** The repository this tool belongs to: it scaffolds into its own checkout. */
const rootDir = fileURLToPath(new URL('../../', import.meta.url));

process.exitCode = await runCli(process.argv.slice(2), rootDir, {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  interactive: process.stdin.isTTY === true,
});
