import { markPhase } from './timing.ts'; // first, so its first mark is when dev's own code starts running
import { resolve } from 'node:path';
import { Command } from 'commander';
import { parsePort } from '../cli/port.ts';
import { isStopping, stopOnSignal } from '../cli/stop-on-signal.ts';
import { ConfigError, formatIssue, routeUrlLines } from '../fleet/index.ts';
import { startDevServer, type DevServer } from './dev-server.ts';

markPhase('packages loaded (commander, zod, esbuild…)');
process.env.WRANGLER_SEND_METRICS = 'false';

// One signal stops dev in any state, workerd included (cli/stop-on-signal.ts).
let running: DevServer | undefined;
stopOnSignal({ name: 'dev', stop: async () => running?.close() });

const program = new Command('dev')
  .description('Run every service of the fleet in one Miniflare, routed by Host and path, reloading on save')
  .option('--port <port>', 'port to listen on', parsePort, 8787)
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--persist-to <dir>', 'where KV, D1, R2 and Durable Object data is kept between runs', '.dev')
  .option('--no-watch', 'do not reload when files change')
  .option('--env <name>', 'run the fleet as this environment (a root [env.<name>] table) names and routes it')
  .action(async (options: { port: number; host: string; persistTo: string; watch: boolean; env?: string }) => {
    const rootDir = process.cwd();
    try {
      const server = await startDevServer({
        rootDir,
        ...(options.env ? { environment: options.env } : {}),
        host: options.host,
        port: options.port,
        persistDir: resolve(rootDir, options.persistTo),
        watch: options.watch,
        log: (line) => console.log(line),
      });
      running = server;
      markPhase('serving');
      console.log(`edgeops dev: ${server.fleet.services.length} services on ${server.url.origin}`);
      for (const line of routeUrlLines(server.fleet, server.url.origin)) console.log(line);
      for (const job of server.crons.upcoming()) console.log(`  cron ${job.script} "${job.cron}" next at ${job.next?.toISOString() ?? 'never'}`);
      console.log(options.watch ? 'Watching services/, shared/src and wrangler.toml; Ctrl-C stops.' : 'Ctrl-C stops.');
    } catch (error) {
      if (isStopping()) return; // A start cut short by a signal: the stop exits, with its own code.
      console.error(error instanceof ConfigError ? `Invalid fleet configuration:\n${error.issues.map(formatIssue).join('\n')}` : error);
      process.exit(1);
    }
  });

await program.parseAsync();
