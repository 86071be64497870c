/**
 * Durable Objects on a script upload: the upload's `metadata.migrations` are checked against the
 * script's `migration_tag` (Cloudflare's `workers_migration_tag_conditions`: "If they don't match,
 * the upload is rejected") and applied to the classes the script implements, and every
 * `durable_object_namespace` binding to the script's own classes must name one of them.
 * Migrations come only with `PUT …/scripts/{s}`: wrangler deploys through the versions API only
 * when there are none (`canUseNewVersionsDeploymentsApi` in packages/wrangler/src/deploy/deploy.ts).
 */
import { applyMigrationSteps, MigrationError, migrationSteps, type DurableObjectClass } from '../../../cloudflare/durable-object-migrations.ts';
import { hexId } from '../store/ids.ts';
import type { ScriptRecord } from '../store/scripts.ts';
import { fail } from './errors.ts';
import type { UploadMetadata } from './upload.ts';

/** Applies the upload's migrations to `script` (a draft record); rejects a tag mismatch or an impossible step. */
export function applyUploadMigrations(script: ScriptRecord, metadata: UploadMetadata): void {
  const migrations = metadata.migrations;
  if (!migrations) return;
  if (migrations.old_tag !== script.migrationTag) {
    const current = script.migrationTag === undefined ? 'no migration tag' : `migration tag "${script.migrationTag}"`;
    const sent = migrations.old_tag === undefined ? 'no old_tag' : `old_tag "${migrations.old_tag}"`;
    fail('validation', `metadata.migrations: the Worker ${script.name} has ${current} but the upload sent ${sent}; upload the migrations after the current tag`);
  }
  try {
    script.durableObjectClasses = applyMigrationSteps(script.durableObjectClasses ?? [], migrationSteps(migrations), (className) => `${script.name}-${className}-${hexId().slice(0, 8)}`);
  } catch (error) {
    if (error instanceof MigrationError) fail('validation', `metadata.migrations: ${error.message} (Worker ${script.name})`);
    throw error;
  }
  script.migrationTag = migrations.new_tag;
}

/** A version upload (`POST …/versions`) cannot carry migrations. */
export function refuseVersionMigrations(metadata: UploadMetadata, script: string): void {
  if (metadata.migrations) {
    fail('validation', `metadata.migrations: Durable Object migrations cannot be uploaded as a version of ${script}; deploy them with PUT /workers/scripts/${script} (wrangler deploy)`);
  }
}

/** Every binding to one of the script's own classes names a class its migrations created. */
export function checkDurableObjectBindings(script: ScriptRecord, metadata: UploadMetadata): void {
  const classes = new Set((script.durableObjectClasses ?? []).map((klass: DurableObjectClass) => klass.className));
  for (const binding of metadata.bindings) {
    if (binding.type !== 'durable_object_namespace') continue;
    const owner = typeof binding.script_name === 'string' ? binding.script_name : script.name;
    if (owner !== script.name || classes.has(String(binding.class_name))) continue;
    const known = classes.size > 0 ? `it implements ${[...classes].join(', ')}` : 'it implements none yet';
    fail('validation', `binding "${binding.name}": class ${String(binding.class_name)} is not a Durable Object class of ${script.name} (${known}); add a [[migrations]] step with new_sqlite_classes = ["${String(binding.class_name)}"]`);
  }
}
