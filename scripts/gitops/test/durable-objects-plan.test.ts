import { describe, expect, it } from 'vitest';
import type { MigrationConfig } from '../../cloudflare/durable-object-migrations.ts';
import { renderPlan } from '../report/plan-text.ts';
import { makePlan, type PlanOptions } from '../plan/make-plan.ts';
import { planActions, type Plan } from '../plan/plan.ts';
import { deployedScript, desiredState, observedState, planOptions as options, service } from './support/builders.ts';

const V1: MigrationConfig = { tag: 'v1', new_sqlite_classes: ['Counter'] };
const V2: MigrationConfig = { tag: 'v2', renamed_classes: [{ from: 'Counter', to: 'Tally' }] };
const V3: MigrationConfig = { tag: 'v3', deleted_classes: ['Tally'] };

/** `limits` declared at 1.1.0 with `migrations`, deployed at 1.0.0 with `migrationTag`. */
function planFor(migrations: MigrationConfig[], migrationTag: string | undefined, overrides: Partial<PlanOptions> = {}): Plan {
  const declared = service('limits', { version: '1.1.0', contentHash: 'b'.repeat(64), migrations });
  const deployed = deployedScript('limits', '1.0.0', 'a'.repeat(64), migrationTag ? { migrationTag } : {});
  return makePlan(desiredState([declared]), observedState({ scripts: [deployed] }), options(overrides));
}

describe('plan: Durable Object migrations', () => {
  it('a new service with a class: one deploy-migrations carrying every step, no old_tag (the script is created by the PUT)', () => {
    const declared = service('limits', { migrations: [V1] });
    const plan = makePlan(desiredState([declared]), observedState(), options());
    expect(plan.errors).toEqual([]);
    expect(planActions(plan)).toMatchObject([{ kind: 'deploy-migrations', service: 'limits', tag: '1.0.0', migrations: { new_tag: 'v1', steps: [{ new_sqlite_classes: ['Counter'] }] } }]);
    const [migrate] = planActions(plan);
    expect(migrate?.kind === 'deploy-migrations' ? Object.keys(migrate.migrations) : []).toEqual(['new_tag', 'steps']);
  });

  it('a class renamed: only the steps after the account\'s tag, replacing upload + deploy; the plan shows the tag change', () => {
    const plan = planFor([V1, V2], 'v1');
    expect(plan.errors).toEqual([]);
    expect(planActions(plan).map((action) => action.kind)).toEqual(['deploy-migrations']);
    expect(planActions(plan)[0]).toMatchObject({ migrations: { old_tag: 'v1', new_tag: 'v2', steps: [{ renamed_classes: [{ from: 'Counter', to: 'Tally' }] }] } });
    const text = renderPlan(plan);
    expect(text).toContain('deploy version 1.1.0 at 100% with Durable Object migrations v1 → v2: renamed_classes Counter→Tally');
    expect(text).toContain('Durable Object migration tag v1 → v2');
  });

  it('migrations already applied (tag is the last one): a plain upload-version and deploy', () => {
    const plan = planFor([V1, V2], 'v2');
    expect(plan.errors).toEqual([]);
    expect(planActions(plan).map((action) => action.kind)).toEqual(['upload-version', 'deploy']);
  });

  it('a class deleted: refused without --allow-data-loss, naming the file and the migration', () => {
    const plan = planFor([V1, V2, V3], 'v2');
    expect(plan.waves).toEqual([]);
    expect(plan.errors).toEqual([
      {
        service: 'limits',
        file: 'services/limits/wrangler.toml',
        key: 'migrations[2].deleted_classes',
        message: 'deleted_classes Tally deletes every object of that class and its storage; re-run with --allow-data-loss to apply it',
      },
    ]);
  });

  it('a class deleted: planned with --allow-data-loss, the plan saying the data goes', () => {
    const plan = planFor([V1, V2, V3], 'v2', { allowDataLoss: true });
    expect(plan.errors).toEqual([]);
    expect(plan.allowDataLoss).toBe(true);
    expect(renderPlan(plan)).toContain('v2 → v3: deleted_classes Tally (data deleted)');
  });

  it('a tag on the account that git no longer lists is a plan error (applied migrations stay in the list)', () => {
    const plan = planFor([V2], 'v1');
    expect(plan.errors[0]).toMatchObject({ key: 'migrations', message: expect.stringContaining('migration tag on the account is "v1", which is not among the [[migrations]] tags (v2)') });
  });

  it('a gradual rollout cannot carry migrations', () => {
    const declared = service('limits', {
      version: '1.1.0',
      contentHash: 'b'.repeat(64),
      migrations: [V1, V2],
      rollout: { stable: '1.0.0', percentage: 10, source: { file: 'services/limits/package.json', key: 'edgeops.rollout' } },
    });
    const deployed = deployedScript('limits', '1.0.0', 'a'.repeat(64), { migrationTag: 'v1', historyListed: true });
    const plan = makePlan(desiredState([declared]), observedState({ scripts: [deployed] }), options());
    expect(plan.errors).toContainEqual(expect.objectContaining({ key: 'edgeops.rollout', message: expect.stringContaining('carries Durable Object migrations v1 → v2') }));
  });
});
