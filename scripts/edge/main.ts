/**
 * `npm run edge -- [--state-dir .edge] [--api-port 8788] [--port 8787] [--zone example.com …] [--reset] [--quiet]`
 * Starts the local edge, prints where to reach it (never the token: it is in endpoint.json),
 * and stops on one SIGINT/SIGTERM/SIGHUP in any state, workerd included (cli/stop-on-signal.ts).
 * Exit codes: 130/143 stopped by SIGINT/SIGTERM, 1 bad flag or start failure, 2 a port is in use
 * (checked before workerd starts).
 */
import { resolve } from 'node:path';
import { Command } from 'commander';
import { isStopping, stopOnSignal } from '../cli/stop-on-signal.ts';
import { endpointPath } from '../cloudflare/endpoint.ts';
import { addEdgeOptions, DEFAULT_HOST, PORT_IN_USE_EXIT_CODE, PortInUseError, replacedAccountLine, startEdge, type Edge, type EdgeCliOptions } from './src/index.ts';

process.env.WRANGLER_SEND_METRICS ??= 'false';

let running: Edge | undefined;
stopOnSignal({ name: 'edge', stop: async () => running?.stop() });

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
    running = edge;
    console.log(`edge control plane  ${edge.apiUrl}`);
    console.log(`edge data plane     ${edge.url}`);
    console.log(`account id          ${edge.accountId}`);
    console.log(`api token           in ${endpointPath(stateDir)} (CLOUDFLARE_API_TOKEN)`);
    if (edge.replacedAccount) console.log(replacedAccountLine(edge.replacedAccount, edge.accountId, endpointPath(stateDir)));
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  if (isStopping()) return; // A start cut short by a signal: the stop exits, with its own code.
  console.error(`edge: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(error instanceof PortInUseError ? PORT_IN_USE_EXIT_CODE : 1);
});
