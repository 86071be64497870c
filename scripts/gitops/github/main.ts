import { runGitHubCli } from './cli.ts';

process.env.WRANGLER_SEND_METRICS = 'false';

process.exitCode = await runGitHubCli(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
