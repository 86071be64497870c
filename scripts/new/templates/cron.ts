import { defineTemplate } from './define.ts';
import { dependenciesTs, probes } from './dependencies.ts';
import { tsLiteral } from './literal.ts';

/** Every 15 minutes; edit `[triggers] crons` in the service's wrangler.toml to change it. */
export const DEFAULT_CRON = '*/15 * * * *';

/** The cron template (./cron/): a scheduled handler and a GET route reporting its last run. */
export const cronTemplate = defineTemplate('cron', {
  summary: `scheduled handler (cron "${DEFAULT_CRON}") and a GET route reporting its last run`,
  bindingUse: 'probe',
  names: ({ pascal, constant }) => ({
    run: `${pascal}Run`,
    check: `${pascal}Check`,
    status: `${pascal}Status`,
    store: `${pascal}RunStore`,
    kv: constant,
    get: `get${pascal}LastRun`,
  }),
  contractExports: ['check', 'run', 'status', 'contract'],
  slots: (context) => {
    const probed = probes(context);
    const deps = probed.length > 0;
    return {
      'import-dependencies': deps ? "import { checkDependencies } from './dependencies.ts';" : '',
      'check-dependencies': deps ? 'checks.push(...(await checkDependencies(env, crypto.randomUUID())));' : '',
      'expected-checks': probed.map((item) => `${tsLiteral({ service: item.service, operation: item.use.operation, status: 200 })},`).join('\n'),
    };
  },
  bindingFiles: (context, n): Record<string, string> => (probes(context).length > 0 ? { 'src/dependencies.ts': dependenciesTs(context, n.check) } : {}),
  endpoints: (base) => [`GET ${base}/last-run`, `cron ${DEFAULT_CRON}`],
});
