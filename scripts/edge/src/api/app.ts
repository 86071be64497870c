/** The control plane's Hono app: the pipeline, then every operation module from the registry. */
import { Hono } from 'hono';
import type { FaultController } from '../faults/index.ts';
import type { Store } from '../store/store.ts';
import type { DataPlaneAccess, OperationModule } from './context.ts';
import { faultsEndpoint } from './faults-endpoint.ts';
import { bodyLimits } from './body-limits.ts';
import { accountScope, API_BASE, bearerAuth, faultMiddleware, handleError, notFound, rateLimitHeaders } from './middleware.ts';
import { registerD1Databases } from './operations/d1-databases.ts';
import { registerD1Query } from './operations/d1-query.ts';
import { registerDeployments } from './operations/deployments.ts';
import { registerDomains } from './operations/domains.ts';
import { registerKvNamespaces } from './operations/kv-namespaces.ts';
import { registerQueues } from './operations/queues.ts';
import { registerR2Buckets } from './operations/r2-buckets.ts';
import { registerKvValues } from './operations/kv-values.ts';
import { registerRoutes } from './operations/routes.ts';
import { registerSchedules } from './operations/schedules.ts';
import { registerScripts } from './operations/scripts.ts';
import { registerSecrets } from './operations/secrets.ts';
import { registerSettings } from './operations/settings.ts';
import { registerSubdomains } from './operations/subdomains.ts';
import { registerVersions } from './operations/versions.ts';
import { registerZones } from './operations/zones.ts';
import { registerWorkers } from './operations/workers.ts';
import { registerUser } from './operations/user.ts';
import { registerGraphql } from './graphql.ts';
import { registerTail } from './operations/tail.ts';
import type { TailSessions } from '../tail/tail-sessions.ts';
import { InvocationLog } from '../analytics/invocation-log.ts';

/** Every group of Cloudflare API operations the edge serves. */
export const OPERATION_MODULES: readonly OperationModule[] = [
  registerZones,
  registerScripts,
  registerVersions,
  registerDeployments,
  registerRoutes,
  registerDomains,
  registerSubdomains,
  registerSettings,
  registerSecrets,
  registerSchedules,
  registerQueues,
  registerKvNamespaces,
  registerD1Databases,
  registerD1Query,
  registerWorkers,
  registerUser,
  registerR2Buckets,
  registerKvValues,
  registerGraphql,
  registerTail,
];

export function createControlPlaneApp(store: Store, faults: FaultController, data: DataPlaneAccess, invocations = new InvocationLog(), tails?: TailSessions): Hono {
  const app = new Hono();
  app.use('*', faultMiddleware(faults));
  app.use('*', rateLimitHeaders());
  const auth = bearerAuth(() => store.state.account.token);
  app.use('/__edge/*', auth);
  app.route('/__edge/faults', faultsEndpoint(faults));
  const api = new Hono();
  api.use('*', auth);
  api.use('/accounts/:account_id/*', accountScope(() => store.state.account.id));
  api.use('*', bodyLimits());
  for (const register of OPERATION_MODULES) register(api, { store, ...data, invocations, ...(tails ? { tails } : {}) });
  api.notFound(notFound);
  api.onError(handleError);
  app.route(API_BASE, api);
  app.notFound(notFound);
  app.onError(handleError);
  return app;
}
