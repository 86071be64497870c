import { serviceBindingSlots } from './common.ts';
import type { Template, TemplateContext } from './context.ts';
import { dependenciesTs, probes } from './dependencies.ts';
import { tsLiteral } from './literal.ts';

/** Every 15 minutes; edit `[triggers] crons` in the service's wrangler.toml to change it. */
export const DEFAULT_CRON = '*/15 * * * *';

/** Names of everything the cron template (./cron/) declares for a service. */
function names(context: TemplateContext) {
  const { pascal, camel, constant } = context.ids;
  return {
    run: `${pascal}Run`,
    check: `${pascal}Check`,
    status: `${pascal}Status`,
    contract: `${camel}Contract`,
    api: `${camel}Api`,
    store: `${pascal}RunStore`,
    kv: constant,
    get: `get${pascal}LastRun`,
  };
}

export const cronTemplate: Template = {
  summary: `scheduled handler (cron "${DEFAULT_CRON}") and a GET route reporting its last run`,
  bindingUse: 'probe',
  dir: new URL('./cron/', import.meta.url),
  placeholder: 'cron-sample',
  names,
  slots: (context) => {
    const probed = probes(context);
    const deps = probed.length > 0;
    return {
      ...serviceBindingSlots(context),
      'import-dependencies': deps ? "import { checkDependencies } from './dependencies.ts';" : '',
      'check-dependencies': deps ? 'checks.push(...(await checkDependencies(env, crypto.randomUUID())));' : '',
      'expected-checks': probed.map((item) => `${tsLiteral({ service: item.service, operation: item.use.operation, status: 200 })},`).join('\n'),
    };
  },
  bindingFiles: (context): Record<string, string> => (probes(context).length > 0 ? { 'src/dependencies.ts': dependenciesTs(context, names(context).check) } : {}),
  contractExports: (context) => {
    const n = names(context);
    return [n.check, n.run, n.status, n.contract];
  },
  endpoints: (context) => [`GET ${context.route.basePath}/last-run`, `cron ${DEFAULT_CRON}`],
};
