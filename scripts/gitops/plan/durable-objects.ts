/**
 * Durable Object migrations in the plan. A service whose `[[migrations]]` go past the script's
 * `migration_tag` on the account has its upload turned into one `deploy-migrations` action carrying
 * exactly the steps wrangler would upload (scripts/cloudflare/durable-object-migrations.ts): the
 * plan shows the tag change, and apply PUTs the script with them (serving it at 100%, as
 * `wrangler deploy` does; migrations cannot go through a gradual rollout). A step that deletes
 * classes deletes their objects' data: it is a plan error unless `--allow-data-loss` is given.
 */
import { deletedClasses, migrationSteps, migrationsToUpload, type UploadMigrations } from '../../cloudflare/durable-object-migrations.ts';
import type { DesiredService } from '../state/desired.ts';
import type { ObservedScript } from '../state/observed.ts';
import type { Action } from './action.ts';
import type { PlanError } from './plan.ts';
import type { ServiceOutcome } from './service-versions.ts';

export interface DurableObjectPlanOptions {
  /** Apply `deleted_classes` steps (their objects' storage is deleted). */
  allowDataLoss: boolean;
}

/** `v1 → v2: new_sqlite_classes Counter; renamed_classes Counter→Tally; deleted_classes Old (data deleted)`. */
export function describeMigrations(migrations: UploadMigrations): string {
  const parts = migrationSteps(migrations).flatMap((step) => [
    ...(step.new_sqlite_classes?.length ? [`new_sqlite_classes ${step.new_sqlite_classes.join(', ')}`] : []),
    ...(step.new_classes?.length ? [`new_classes ${step.new_classes.join(', ')}`] : []),
    ...(step.renamed_classes?.length ? [`renamed_classes ${step.renamed_classes.map((rename) => `${rename.from}→${rename.to}`).join(', ')}`] : []),
    ...(step.deleted_classes?.length ? [`deleted_classes ${step.deleted_classes.join(', ')} (data deleted)`] : []),
  ]);
  return `${migrations.old_tag ?? '(none)'} → ${migrations.new_tag}${parts.length ? `: ${parts.join('; ')}` : ''}`;
}

function errorAt(service: DesiredService, key: string, message: string): PlanError {
  return { service: service.name, file: service.source.config, key, message };
}

/** Turns the service's upload into a `deploy-migrations` when its migrations are ahead of the account. */
export function planDurableObjects(outcome: ServiceOutcome, service: DesiredService, observed: ObservedScript | undefined, options: DurableObjectPlanOptions): ServiceOutcome {
  const config = service.migrations ?? [];
  const current = observed?.migrationTag;
  if (config.length === 0) return outcome;
  const known = current === undefined || config.some((migration) => migration.tag === current);
  if (!known) {
    const tags = config.map((migration) => migration.tag).join(', ');
    return { ...outcome, errors: [...outcome.errors, errorAt(service, 'migrations', `the script's Durable Object migration tag on the account is "${current}", which is not among the [[migrations]] tags (${tags}); applied migrations stay in the list: restore it`)] };
  }
  const migrations = migrationsToUpload(config, current);
  if (!migrations) return outcome;

  const errors: PlanError[] = [];
  const upload = outcome.actions.find((action) => action.kind === 'create-script' || action.kind === 'upload-version');
  if (!upload || (upload.kind !== 'create-script' && upload.kind !== 'upload-version')) {
    if (outcome.errors.length > 0) return outcome;
    errors.push(errorAt(service, 'migrations', `Durable Object migrations ${describeMigrations(migrations)} need a new version uploaded with them; a rollback cannot undo applied migrations`));
    return { ...outcome, errors: [...outcome.errors, ...errors] };
  }
  if (service.rollout) {
    errors.push({ service: service.name, file: service.rollout.source.file, key: service.rollout.source.key, message: `version ${service.version} carries Durable Object migrations ${describeMigrations(migrations)}: it is deployed at 100% with them, not rolled out gradually; remove the rollout for this version` });
  }
  const deleted = deletedClasses(migrationSteps(migrations));
  if (deleted.length > 0 && !options.allowDataLoss) {
    const index = config.findIndex((migration, position) => position >= config.length - migrationSteps(migrations).length && (migration.deleted_classes?.length ?? 0) > 0);
    errors.push(errorAt(service, `migrations[${index}].deleted_classes`, `deleted_classes ${deleted.join(', ')} deletes every object of ${deleted.length === 1 ? 'that class' : 'those classes'} and its storage; re-run with --allow-data-loss to apply it`));
  }
  const migrate: Action = {
    kind: 'deploy-migrations',
    service: service.name,
    tag: upload.tag,
    hash: upload.hash,
    secrets: upload.secrets,
    migrations,
    reason: `${upload.reason}; Durable Object migration tag ${migrations.old_tag ?? '(none)'} → ${migrations.new_tag}`,
  };
  const actions = outcome.actions.flatMap((action): Action[] => (action === upload ? [migrate] : action.kind === 'deploy' ? [] : [action]));
  return { ...outcome, actions, errors: [...outcome.errors, ...errors] };
}
