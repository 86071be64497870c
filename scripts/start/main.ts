/**
 * `npm start`: the whole product on one machine. Starts the local edge (state in `.edge/`), reconciles
 * the fleet declared in git into it with the GitOps reconciler (the plan is printed, then applied),
 * prints each service's URL, and keeps serving until Ctrl-C.
 *
 * One SIGINT/SIGTERM/SIGHUP stops it in any state (starting, applying, serving), workerd included
 * (cli/stop-on-signal.ts).
 *
 * Exit codes: 130/143 when stopped by Ctrl-C/SIGTERM; 1 the fleet's config is invalid, the
 * plan has errors or the apply failed (the edge is stopped again); 2 a port the edge needs is in use.
 */
import { resolve } from 'node:path';
import { Command } from 'commander';
import { isStopping, stopOnSignal } from '../cli/stop-on-signal.ts';
import { endpointPath } from '../cloudflare/endpoint.ts';
import { addEdgeOptions, DEFAULT_HOST, PORT_IN_USE_EXIT_CODE, PortInUseError, replacedAccountLine, startEdge, type Edge, type EdgeCliOptions } from '../edge/src/index.ts';
import { checkFleet, ConfigError, formatIssue, loadFleet, routeUrlLines, selectEnvironment } from '../fleet/index.ts';
import { reconcile } from '../gitops/index.ts';

process.env.WRANGLER_SEND_METRICS = 'false';

let running: Edge | undefined;
stopOnSignal({ name: 'start', stop: async () => running?.stop() });

const program = addEdgeOptions(new Command('start'), 'forget everything deployed before, then deploy the fleet again')
  .description('Start the local edge and reconcile the fleet into it')
  .option('--prune', 'also delete services and routes that git no longer declares', false)
  .option('--env <name>', 'reconcile this environment (a root [env.<name>] table); the edge keeps the others it holds')
  .action(async (options: EdgeCliOptions & { prune: boolean; env?: string }) => {
    const rootDir = process.cwd();
    const loaded = await loadFleet(rootDir);
    checkFleet(loaded);
    const fleet = await selectEnvironment(loaded, options.env);
    const stateDir = resolve(rootDir, options.stateDir);
    const edge = await startEdge({
      stateDir,
      apiPort: options.apiPort,
      dataPort: options.port,
      host: DEFAULT_HOST,
      zones: fleet.root.gitops.zones ?? [],
      reset: options.reset,
      logs: { access: !options.quiet },
    });
    running = edge;
    console.log(`local edge: API ${edge.apiUrl}, data plane ${edge.url} (credentials in ${endpointPath(stateDir)})`);
    if (edge.replacedAccount) console.log(replacedAccountLine(edge.replacedAccount, edge.accountId, endpointPath(stateDir)));
    console.log('');
    const outcome = await reconcile({
      rootDir,
      target: 'local',
      // The edge's own endpoint file: the apply lock then lives in its state directory, so edges
      // started with other --state-dir values (other targets) never wait for each other's applies.
      endpoint: endpointPath(stateDir),
      prune: options.prune,
      ...(options.env ? { environment: options.env } : {}),
      yes: true,
    }).catch(async (error: unknown) => {
      await edge.stop();
      throw error;
    });
    const failed = outcome.plan.errors.length > 0 || (outcome.result !== undefined && !outcome.result.ok);
    if (failed) {
      await edge.stop();
      if (!isStopping()) process.exit(1);
      return;
    }
    console.log(`\nThe fleet is serving on ${edge.url}:`);
    for (const line of routeUrlLines(fleet, edge.url)) console.log(line);
    console.log('\nCtrl-C stops the edge; what was deployed stays in .edge/ for the next start.');
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  if (isStopping()) return; // A start cut short by a signal: the stop exits, with its own code.
  if (error instanceof ConfigError) console.error(`Invalid fleet configuration:\n${error.issues.map(formatIssue).join('\n')}`);
  else console.error(`start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(error instanceof PortInUseError ? PORT_IN_USE_EXIT_CODE : 1);
});
