import { describe, expect, it } from 'vitest';
import { makePlan } from '../../plan/make-plan.ts';
import { deployedScript, desiredState, observedState, route, service } from '../../test/support/builders.ts';
import { fromReconcilerPlan } from '../plan-input.ts';
import { renderPlanComment } from '../render-comment.ts';

/**
 * The comment reads what the reconciler really writes: a plan made by its pure `makePlan`,
 * serialised as `--out plan.json` does, goes through the adapter and the renderer.
 */

const options = { target: 'cloudflare' as const, prune: false, adopt: false, createdAt: '2026-11-26T16:00:00.000Z', scope: { schedulesFor: [], secretsFor: [], historyFor: [] } };

describe('plan comment: plans made by the reconciler', () => {
  it('renders a new service, a version bump and an unpruned removal from a real plan', () => {
    const desired = desiredState([
      service('users', { routes: [route('users.example.com/*')] }),
      service('orders', { version: '1.3.0', contentHash: 'orders-hash-2'.padEnd(64, '0') }),
      service('billing'),
    ]);
    const observed = observedState({
      scripts: [
        deployedScript('orders', '1.2.0', 'orders-hash-1'.padEnd(64, '0')),
        deployedScript('billing', '1.0.0', 'billing-hash-1'.padEnd(64, '0')),
        deployedScript('legacy', '0.1.0', 'legacy-hash'.padEnd(64, '0')),
      ],
    });
    const plan = makePlan(desired, observed, options);
    expect(plan.errors).toEqual([]);

    const input = fromReconcilerPlan(JSON.parse(JSON.stringify(plan)));
    expect(input.summary).toEqual({ create: 1, update: 1, delete: 0, unchanged: 1 });
    const body = renderPlanComment(input);
    expect(body).toContain('**Plan:** 1 to create, 1 to update, 0 to delete, 1 unchanged. 1 removal shown but not applied (prune is off).');
    expect(body).toMatch(/\| \+ create-script \| `version 1\.0\.0` \| /);
    expect(body).toMatch(/\| \+ create-route \| `users\.example\.com\/\*` \| /);
    expect(body).toMatch(/\| ~ upload-version \| `version 1\.3\.0` \| .*1\.2\.0.*1\.3\.0/);
    expect(body).toMatch(/\| - delete-script \| `script legacy` \| .*\*\(not applied: prune is off\)\*/);
    expect(body).toContain('Unchanged: `billing`');
  });

  it('renders the KV namespace and D1 database a real plan creates, by name, saying they are never deleted', () => {
    const desired = desiredState([
      service('orders', {
        metadata: { main_module: 'index.js', bindings: [{ type: 'kv_namespace', name: 'CACHE', namespace_title: 'orders-cache' }, { type: 'd1', name: 'DB', database_name: 'orders' }] },
        resources: [
          { kind: 'kv-namespace', name: 'orders-cache', binding: 'CACHE', source: { file: 'services/orders/wrangler.toml', key: 'kv_namespaces.0' } },
          { kind: 'd1-database', name: 'orders', binding: 'DB', source: { file: 'services/orders/wrangler.toml', key: 'd1_databases.0' } },
        ],
      }),
    ]);
    const plan = makePlan(desired, observedState(), options);
    expect(plan.errors).toEqual([]);
    const body = renderPlanComment(fromReconcilerPlan(JSON.parse(JSON.stringify(plan))));
    expect(body).toMatch(/\| \+ create-kv-namespace \| `KV namespace orders-cache \(never deleted\)` \| .*created by title and never deleted/);
    expect(body).toMatch(/\| \+ create-d1-database \| `D1 database orders \(never deleted\)` \| .*created by name and never deleted/);
    expect(body).toMatch(/\| \+ create-script \| `version 1\.0\.0` \| /);
  });

  it('renders the errors of a real failed plan: same version, different content', () => {
    const desired = desiredState([service('orders', { version: '1.2.0', contentHash: 'orders-hash-2'.padEnd(64, '0') })]);
    const observed = observedState({ scripts: [deployedScript('orders', '1.2.0', 'orders-hash-1'.padEnd(64, '0'))] });
    const plan = makePlan(desired, observed, options);
    expect(plan.errors.length).toBeGreaterThan(0);
    const body = renderPlanComment(fromReconcilerPlan(JSON.parse(JSON.stringify(plan))));
    expect(body).toContain('**The plan failed**');
    expect(body).toMatch(/- `[^`]*orders[^`]*`: .*version/i);
  });
});
