import type { Command } from 'commander';
import { parsePort } from '../../cli/port.ts';
import { DEFAULT_API_PORT, DEFAULT_DATA_PORT } from './edge.ts';

/** What the command line gives a command that starts the local edge (`npm run edge`, `npm start`). */
export interface EdgeCliOptions {
  stateDir: string;
  apiPort: number;
  port: number;
  reset: boolean;
  quiet: boolean;
}

/**
 * Adds the options of every command that starts the local edge: --state-dir, --api-port, --port,
 * --reset (`reset` says what it means for that command) and --quiet.
 */
export function addEdgeOptions(command: Command, reset: string): Command {
  return command
    .option('--state-dir <dir>', 'where the edge keeps what was deployed, across restarts', '.edge')
    .option('--api-port <port>', 'control plane port (Cloudflare API at /client/v4)', parsePort, DEFAULT_API_PORT)
    .option('--port <port>', 'data plane port (requests routed to Workers)', parsePort, DEFAULT_DATA_PORT)
    .option('--reset', reset, false)
    .option('--quiet', 'no access log line per request (Workers\' console output and exceptions are still printed)', false);
}
