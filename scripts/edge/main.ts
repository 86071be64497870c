/**
 * `npm run edge -- [--state-dir .edge] [--api-port 8788] [--port 8787] [--zone example.com …] [--reset] [--quiet]`
 * Starts the local edge, prints where to reach it (never the token: it is in endpoint.json),
 * and stops on SIGINT/SIGTERM. Once the data plane runs, Miniflare's own exit hook handles those
 * signals first: it stops workerd and exits with 128 + signal (130, 143); the handlers below
 * cover the time before that and shut down gracefully when the hook is absent.
 * Exit codes: 1 bad flag or start failure, 2 a port is in use (checked before workerd starts).
 */
import { resolve } from 'node:path';
import { Command } from 'commander';
import { endpointPath } from '../cloudflare/endpoint.ts';
import { addEdgeOptions, DEFAULT_HOST, PORT_IN_USE_EXIT_CODE, PortInUseError, replacedAccountLine, startEdge, type EdgeCliOptions } from './src/index.ts';

process.env.WRANGLER_SEND_METRICS ??= 'false';

/** The zone the fleet's routes use; zones added before (flag or POST /zones) are kept in the state. */
const DEFAULT_ZONE = 'example.com';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

const program = addEdgeOptions(new Command('edge'), 'forget everything deployed before starting')
  .description('Run the local edge: a Cloudflare API v4 control plane and a workerd data plane')
  .option('--host <host>', 'address to listen on', DEFAULT_HOST)
  .option('--zone <name>', `a zone the edge hosts (repeatable; default ${DEFAULT_ZONE})`, collect, [])
  .action(async (options: EdgeCliOptions & { host: string; zone: string[] }) => {
    const stateDir = resolve(options.stateDir);
    const edge = await startEdge({ stateDir, apiPort: options.apiPort, dataPort: options.port, host: options.host, zones: options.zone.length > 0 ? options.zone : [DEFAULT_ZONE], reset: options.reset, logs: { access: !options.quiet } });
    console.log(`edge control plane  ${edge.apiUrl}`);
    console.log(`edge data plane     ${edge.url}`);
    console.log(`account id          ${edge.accountId}`);
    console.log(`api token           in ${endpointPath(stateDir)} (CLOUDFLARE_API_TOKEN)`);
    if (edge.replacedAccount) console.log(replacedAccountLine(edge.replacedAccount, edge.accountId, endpointPath(stateDir)));
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      edge.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(`edge: failed to stop cleanly after ${signal}: ${error instanceof Error ? error.message : String(error)}`);
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`edge: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(error instanceof PortInUseError ? PORT_IN_USE_EXIT_CODE : 1);
});
