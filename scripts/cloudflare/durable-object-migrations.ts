/**
 * Durable Object migrations, wrangler's way: the `[[migrations]]` tags of a wrangler config
 * (https://developers.cloudflare.com/durable-objects/reference/durable-objects-migrations/), the
 * `metadata.migrations` a Worker upload carries (Cloudflare's OpenAPI schemas
 * `workers_single_step_migrations` / `workers_stepped_migrations`: `{old_tag?, new_tag, steps}` or
 * one step inline), and which classes a Worker implements once they are applied. The reconciler,
 * the local edge and `npm run dev` all read migrations through this one module.
 */
import * as z from 'zod';

const className = z.string().regex(/^[A-Za-z_$][A-Za-z0-9_$]*$/, 'a JavaScript class name');
const RenamedClass = z.object({ from: className, to: className });
const TransferredClass = z.object({ from: className, from_script: z.string(), to: className });

/** One migration step, as both the config (minus `tag`) and the upload spell it. */
export const MigrationStep = z.object({
  new_classes: z.array(className).optional(),
  new_sqlite_classes: z.array(className).optional(),
  renamed_classes: z.array(RenamedClass).optional(),
  deleted_classes: z.array(className).optional(),
  transferred_classes: z.array(TransferredClass).optional(),
});
export type MigrationStep = z.infer<typeof MigrationStep>;

/** A `[[migrations]]` entry of a wrangler config. */
export const MigrationConfig = MigrationStep.extend({ tag: z.string().min(1) });
export type MigrationConfig = z.infer<typeof MigrationConfig>;

/** `metadata.migrations` of an upload: stepped (what wrangler sends) or single-step. */
export const UploadMigrations = z.union([
  z.object({ old_tag: z.string().optional(), new_tag: z.string().min(1), steps: z.array(MigrationStep) }),
  // Strict, so a stepped form with a bad step is not read as an empty single step.
  z.strictObject({ ...MigrationStep.shape, old_tag: z.string().optional(), new_tag: z.string().min(1) }),
]);
export type UploadMigrations = z.infer<typeof UploadMigrations>;

/** The steps of an upload's migrations, whichever form it came in. */
export function migrationSteps(migrations: UploadMigrations): MigrationStep[] {
  if ('steps' in migrations) return migrations.steps;
  const { old_tag: _old, new_tag: _new, ...step } = migrations;
  return [step];
}

/**
 * The migrations wrangler uploads for a config given the script's current `migration_tag`
 * (wrangler's `getMigrationsToUpload`, packages/wrangler/src/durable.ts): every step after the
 * current tag, all of them when the tag is unknown or absent, nothing when the tag is the last one.
 */
export function migrationsToUpload(config: readonly MigrationConfig[], currentTag: string | undefined): UploadMigrations | undefined {
  const last = config.at(-1);
  if (!last) return undefined;
  const steps = (from: number): MigrationStep[] => config.slice(from).map(({ tag: _tag, ...step }) => step);
  if (currentTag === undefined) return { new_tag: last.tag, steps: steps(0) };
  const found = config.findIndex((migration) => migration.tag === currentTag);
  if (found === config.length - 1) return undefined;
  return { old_tag: currentTag, new_tag: last.tag, steps: steps(found + 1) };
}

/** A Durable Object class a Worker implements, and where its objects' storage lives. */
export interface DurableObjectClass {
  className: string;
  /** SQLite-backed (`new_sqlite_classes`) or key-value (`new_classes`). */
  sqlite: boolean;
  /** The storage's identity: kept across renames, fresh for a class created again after a delete. */
  storageId: string;
}

export class MigrationError extends Error {}

/**
 * The classes after applying `steps` in order, with wrangler's checks
 * (packages/wrangler/src/dev/class-names-sqlite.ts): a new class must not exist, a renamed or
 * deleted one must. `newStorageId` names the storage of each class created.
 */
export function applyMigrationSteps(
  classes: readonly DurableObjectClass[],
  steps: readonly MigrationStep[],
  newStorageId: (className: string) => string,
): DurableObjectClass[] {
  const byName = new Map(classes.map((klass) => [klass.className, klass]));
  const create = (name: string, sqlite: boolean, key: string): void => {
    if (byName.has(name)) throw new MigrationError(`Cannot apply ${key} migration to existing class ${name}`);
    byName.set(name, { className: name, sqlite, storageId: newStorageId(name) });
  };
  for (const step of steps) {
    for (const name of step.deleted_classes ?? []) {
      if (!byName.delete(name)) throw new MigrationError(`Cannot apply deleted_classes migration to non-existent class ${name}`);
    }
    for (const { from, to } of step.renamed_classes ?? []) {
      const klass = byName.get(from);
      if (!klass) throw new MigrationError(`Cannot apply renamed_classes migration to non-existent class ${from}`);
      if (byName.has(to)) throw new MigrationError(`Cannot apply renamed_classes migration to existing class ${to}`);
      byName.delete(from);
      byName.set(to, { ...klass, className: to });
    }
    for (const name of step.new_classes ?? []) create(name, false, 'new_classes');
    for (const name of step.new_sqlite_classes ?? []) create(name, true, 'new_sqlite_classes');
    if ((step.transferred_classes ?? []).length > 0) throw new MigrationError('transferred_classes migrations are not supported by edgeops');
  }
  return [...byName.values()];
}

/** The classes a config's whole migration history declares (what `npm run dev` runs). */
export function declaredClasses(config: readonly MigrationConfig[], storageIdOf: (className: string) => string): DurableObjectClass[] {
  return applyMigrationSteps([], config.map(({ tag: _tag, ...step }) => step), storageIdOf);
}

/** Classes a set of steps deletes (what the reconciler refuses without `--allow-data-loss`). */
export function deletedClasses(steps: readonly MigrationStep[]): string[] {
  return steps.flatMap((step) => step.deleted_classes ?? []);
}
