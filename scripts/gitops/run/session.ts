import { join } from 'node:path';
import { changedPaths, checkFleet, loadFleet, previewSet, selectEnvironment, type SelectedEnvironment, type ServiceBundle } from '../../fleet/index.ts';
import { CloudflareClient, type ClientOptions, type ApiEndpoint } from '../api/client.ts';
import { buildDesiredState } from '../desired/build.ts';
import { currentCommit } from '../desired/commit.ts';
import { observe } from '../observe/observe.ts';
import { VersionCache } from '../observe/version-cache.ts';
import { makePlan } from '../plan/make-plan.ts';
import type { Plan, Target } from '../plan/plan.ts';
import type { DesiredState } from '../state/desired.ts';
import type { ObserveScope, ObservedState } from '../state/observed.ts';
import { environmentTargetEnv } from '../target/environment-credentials.ts';
import { LOCAL_EDGE_NOT_RUNNING, resolveTarget, type ResolvedTarget } from '../target/target.ts';

export interface SessionOptions {
  rootDir: string;
  target: Target;
  env?: NodeJS.ProcessEnv;
  /** Local target: the edge's endpoint or its endpoint.json path. */
  endpoint?: ApiEndpoint | string;
  client?: ClientOptions;
  /** `--env`: the environment to work in (default: the top-level one, `[gitops] environment`). */
  environment?: string;
  /** A preview (`pr-<n>`): the base ref its services are taken from (`git diff --name-only <base>`). */
  previewBase?: string;
}

/** Everything a command needs, prepared in the safe order: git first, then the target, then the API. */
export interface Session {
  rootDir: string;
  target: ResolvedTarget;
  desired: DesiredState;
  bundles: Map<string, ServiceBundle>;
  concurrency: number;
  client: CloudflareClient;
  versionCache: VersionCache;
  /** Where secret values are read from (`EDGEOPS_SECRET_<SERVICE>_<NAME>`). */
  env: NodeJS.ProcessEnv;
  environment: SelectedEnvironment;
}

/**
 * Loads and checks the fleet, bundles it and builds the desired state (a bad desired state stops
 * here, before any API call), then resolves the target (missing credentials stop here too).
 */
export async function openSession(options: SessionOptions): Promise<Session> {
  const env = options.env ?? process.env;
  const loaded = await loadFleet(options.rootDir);
  checkFleet(loaded);
  const previewServices = options.previewBase ? previewSet(loaded, await changedPaths(options.rootDir, options.previewBase)) : undefined;
  const fleet = await selectEnvironment(loaded, options.environment, previewServices ? { previewServices } : {});
  const cacheDir = join(options.rootDir, 'node_modules', '.cache', 'edgeops');
  const built = await buildDesiredState(fleet, { cacheDir: join(cacheDir, 'bundles'), commit: await currentCommit(options.rootDir, env), env });
  const target = await resolveTarget(options.target, { rootDir: options.rootDir, environment: fleet.environment.name, env: environmentTargetEnv(fleet.environment, options.target, env), ...(options.endpoint ? { endpoint: options.endpoint } : {}) });
  const client = new CloudflareClient(target.endpoint, {
    concurrency: built.concurrency,
    ...(target.target === 'local' ? { refusedHint: `${LOCAL_EDGE_NOT_RUNNING} (plan, apply and status on target local talk to it)` } : {}),
    ...options.client,
  });
  const versionCache = await VersionCache.load(join(cacheDir, 'gitops-versions.json'));
  return { rootDir: options.rootDir, target, desired: built.desired, bundles: built.bundles, concurrency: built.concurrency, client, versionCache, env, environment: fleet.environment };
}

export interface MakePlanOptions {
  prune?: boolean;
  adopt?: boolean;
  only?: string;
  /** Allow Durable Object `deleted_classes` migrations (they delete data). */
  allowDataLoss?: boolean;
  /** Re-observe what a saved plan observed. */
  scope?: ObserveScope;
}

/** Observes the account and makes the (pure) plan. */
export async function planSession(session: Session, options: MakePlanOptions = {}): Promise<Plan> {
  return (await observeAndPlan(session, options)).plan;
}

export async function observeAndPlan(session: Session, options: MakePlanOptions = {}): Promise<{ plan: Plan; observed: ObservedState }> {
  const { observed, scope } = await observe(session.client, session.desired, {
    versionCache: session.versionCache,
    target: session.target.target,
    ...(options.scope ? { scope: options.scope } : {}),
  });
  const plan = makePlan(session.desired, observed, {
    target: session.target.target,
    prune: options.prune ?? false,
    adopt: options.adopt ?? false,
    ...(options.allowDataLoss ? { allowDataLoss: true } : {}),
    ...(options.only ? { only: options.only } : {}),
    createdAt: new Date().toISOString(),
    scope,
  });
  return { plan, observed };
}
