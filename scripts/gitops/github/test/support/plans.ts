import type { Action } from '../../../plan/action.ts';
import type { Plan, PlanError, ServicePlan } from '../../../plan/plan.ts';

/**
 * Plans in the reconciler's own type, serialised the way `npm run plan -- --out plan.json` writes
 * them. Typed against the reconciler's Plan so a change to its shape fails `tsc` here first.
 */
export function reconcilerPlan(parts: { services?: ServicePlan[]; actions?: Action[]; skipped?: Action[]; errors?: PlanError[] } = {}): Plan {
  return {
    formatVersion: 1,
    target: 'cloudflare',
    accountId: 'acc-1',
    owner: 'edgeops',
    createdAt: '2026-11-26T16:00:00.000Z',
    prune: false,
    adopt: false,
    fingerprint: 'sha256:0000',
    scope: { schedulesFor: [], secretsFor: [], historyFor: [] },
    services: parts.services ?? [],
    waves: parts.actions && parts.actions.length > 0 ? [{ phase: 'versions', level: 0, actions: parts.actions }] : [],
    skipped: parts.skipped ?? [],
    errors: parts.errors ?? [],
  };
}

/** A typical PR: one new service, one version bump, one moved route, one removal prune won't do. */
export function typicalPlan(): Plan {
  return reconcilerPlan({
    services: [
      { service: 'users', status: 'create', declared: '1.0.0', tag: '1.0.0' },
      { service: 'orders', status: 'deploy', declared: '1.3.0', deployed: '1.2.0', tag: '1.3.0' },
      { service: 'billing', status: 'unchanged', declared: '2.0.0', deployed: '2.0.0' },
      { service: 'gateway', status: 'unchanged', declared: '0.4.1', deployed: '0.4.1' },
      { service: 'legacy', status: 'delete', deployed: '0.1.0' },
    ],
    actions: [
      { kind: 'create-script', service: 'users', tag: '1.0.0', hash: 'sha256:aa', secrets: [], reason: 'new service' },
      { kind: 'create-route', service: 'users', zoneId: 'z1', zoneName: 'example.com', pattern: 'users.example.com/*', reason: 'route declared in git' },
      { kind: 'upload-version', service: 'orders', tag: '1.3.0', hash: 'sha256:bb', secrets: [], reason: 'content sha256:bb… changed, version 1.2.0 → 1.3.0' },
      {
        kind: 'deploy',
        service: 'orders',
        versions: [
          { version: { kind: 'uploaded', service: 'orders', tag: '1.3.0' }, percentage: 10 },
          { version: { kind: 'existing', id: 'v-120', tag: '1.2.0' }, percentage: 90 },
        ],
        reason: 'gradual rollout declared in git',
      },
    ],
    skipped: [{ kind: 'delete-script', service: 'legacy', prune: true, reason: 'service is no longer declared in git' }],
  });
}
