import { actionService, concernsService, type Action } from './action.ts';
import type { Plan, PlanError, ServicePlan, Target } from './plan.ts';
import type { DesiredState } from '../state/desired.ts';
import type { ObserveScope, ObservedState } from '../state/observed.ts';
import { fingerprintObserved } from './fingerprint.ts';
import { planServiceVersions } from './service-versions.ts';
import { planDurableObjects } from './durable-objects.ts';
import { describeDeployment } from './deployment.ts';
import { planRoutes } from './routes.ts';
import { planQueues } from './queues.ts';
import { planResources } from './resources.ts';
import { planD1Migrations } from './d1-migrations.ts';
import { dependencyLevels, toWaves } from './waves.ts';

export interface PlanOptions {
  target: Target;
  /** Execute removals of things git no longer declares (also switched on by `[gitops] prune`). */
  prune: boolean;
  /** Take over scripts, routes and domains the fleet does not own. */
  adopt: boolean;
  /** Restrict the plan to one service's actions. */
  only?: string;
  /** When the plan is made (passed in: the plan function does no I/O, not even the clock). */
  createdAt: string;
  scope: ObserveScope;
  /** Apply Durable Object `deleted_classes` migrations (they delete data). */
  allowDataLoss?: boolean;
}

/** The pure plan: desired (git) vs observed (account) → ordered actions. No I/O. */
export function makePlan(desired: DesiredState, observed: ObservedState, options: PlanOptions): Plan {
  const errors: PlanError[] = [];
  const actions: Action[] = [];
  const services: ServicePlan[] = [];
  const owned = new Set(observed.scripts.map((script) => script.name));
  const foreign = new Set(observed.foreignScripts);

  if (options.only && !desired.services.some((service) => service.name === options.only) && !owned.has(options.only)) {
    errors.push({ message: `--only ${options.only}: no such service in git or on the account` });
  }

  for (const service of desired.services) {
    const script = observed.scripts.find((candidate) => candidate.name === service.name);
    const versions = planServiceVersions(service, script, { target: options.target, owner: desired.owner, adopt: options.adopt, foreign });
    const outcome = planDurableObjects(versions, service, script, { allowDataLoss: options.allowDataLoss ?? false });
    actions.push(...outcome.actions);
    errors.push(...outcome.errors);
    services.push(outcome.summary);
  }

  const adopted = desired.services.filter((service) => foreign.has(service.name) && options.adopt).map((service) => service.name);
  const managed = new Set([...owned, ...adopted]);
  for (const part of [planRoutes, planQueues]) {
    const outcome = part(desired, observed, { owner: desired.owner, adopt: options.adopt, owned: managed });
    actions.push(...outcome.actions);
    errors.push(...outcome.errors);
  }

  const resources = planResources(desired, observed);
  actions.push(...resources.actions);
  errors.push(...resources.errors);

  const migrations = planD1Migrations(desired, observed);
  actions.push(...migrations.actions);
  errors.push(...migrations.errors);

  const declared = new Set(desired.services.map((service) => service.name));
  for (const script of observed.scripts) {
    if (declared.has(script.name)) continue;
    actions.push({ kind: 'delete-script', service: script.name, prune: true, reason: 'service is no longer declared in git' });
    services.push({ service: script.name, status: 'delete', deployed: describeDeployment(script) });
  }

  // A service whose only changes are routes reads as an update in the table.
  for (const summary of services) {
    if (summary.status === 'unchanged' && actions.some((action) => actionService(action) === summary.service)) summary.status = 'update';
  }

  const dependsOn = new Map(desired.services.map((service) => [service.name, service.dependsOn]));
  const { levels, cycle } = dependencyLevels(dependsOn);
  if (cycle.length > 0) {
    errors.push({ message: `service bindings form a cycle (${cycle.join(', ')}); a new service can only bind to one that already exists` });
  }

  const inScope = (action: Action) => !options.only || concernsService(action, options.only);
  const pruning = options.prune || desired.prune;
  const scoped = actions.filter(inScope);
  const executable = scoped.filter((action) => !action.prune || pruning);
  const skipped = scoped.filter((action) => action.prune && !pruning);

  return {
    formatVersion: 1,
    target: options.target,
    accountId: observed.accountId,
    owner: desired.owner,
    createdAt: options.createdAt,
    prune: pruning,
    adopt: options.adopt,
    ...(options.allowDataLoss ? { allowDataLoss: true } : {}),
    ...(options.only ? { only: options.only } : {}),
    fingerprint: fingerprintObserved(observed),
    scope: options.scope,
    services: services.filter((summary) => !options.only || summary.service === options.only).sort((a, b) => a.service.localeCompare(b.service)),
    waves: errors.length > 0 ? [] : toWaves(executable, levels),
    skipped,
    errors,
  };
}
