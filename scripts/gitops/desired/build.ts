import { createHash } from 'node:crypto';
import { desiredRollout } from './rollout.ts';
import { relative } from 'node:path';
import { bundleService, declaredRoutes, type Fleet, type FleetService, type ServiceBundle } from '../../fleet/index.ts';
import type { DesiredService, DesiredState, ScriptMetadata } from '../state/desired.ts';
import { canonicalJson } from '../state/canonical-json.ts';
import { gitopsServiceSettings } from '../config/load.ts';
import { readSecretValue } from '../config/secret-env.ts';
import { configBindings, configResources } from './bindings.ts';
import { configMigrations } from './d1-migrations.ts';
import { consumerSettingsOf } from '../../cloudflare/queue-consumer.ts';
import type { MigrationConfig } from '../../cloudflare/durable-object-migrations.ts';

/**
 * The content hash of a Worker version: its modules (the bundle's hash), its upload metadata
 * (main module, compatibility date/flags, bindings) and its cron triggers. Two uploads with the
 * same hash behave the same; a change in any of these needs a version bump.
 */
export function contentHash(bundleHash: string, metadata: ScriptMetadata, crons: string[], migrations: readonly MigrationConfig[] = []): string {
  // Durable Object migrations count only when declared, so hashes of services without them stay as they were.
  const declared = migrations.length > 0 ? { migrations } : {};
  return createHash('sha256').update(canonicalJson({ bundle: bundleHash, metadata, crons: [...crons].sort(), ...declared })).digest('hex');
}

export function scriptMetadata(service: FleetService, bundle: ServiceBundle): ScriptMetadata {
  return {
    main_module: bundle.mainModule,
    compatibility_date: service.config.compatibility_date,
    compatibility_flags: service.config.compatibility_flags ?? [],
    bindings: configBindings(service.config),
  };
}

export interface BuiltDesiredState {
  desired: DesiredState;
  /** Bundles by service name: apply uploads these modules. */
  bundles: Map<string, ServiceBundle>;
  concurrency: number;
}

export interface BuildOptions {
  cacheDir?: string;
  commit?: string;
  env?: NodeJS.ProcessEnv;
}

/** Reads the reconciler's settings, bundles every service (cached) and builds the desired state. */
export async function buildDesiredState(fleet: Fleet, options: BuildOptions = {}): Promise<BuiltDesiredState> {
  const root = fleet.root.gitops;
  const settings = fleet.services.map((service) => gitopsServiceSettings(fleet, service));
  const bundles = new Map<string, ServiceBundle>();
  const services: DesiredService[] = await Promise.all(
    fleet.services.map(async (service, index): Promise<DesiredService> => {
      const bundle = await bundleService(service, options.cacheDir ? { cacheDir: options.cacheDir } : {});
      bundles.set(service.name, bundle);
      const own = settings[index] ?? { secrets: [] };
      const configFile = relative(fleet.rootDir, service.configPath);
      const packageFile = relative(fleet.rootDir, service.packageJsonPath);
      const metadata = scriptMetadata(service, bundle);
      const crons = service.config.triggers?.crons ?? [];
      const d1Migrations = await configMigrations(service, fleet.rootDir, configFile);
      const migrations = service.config.migrations ?? [];
      return {
        name: service.name,
        version: service.version,
        contentHash: contentHash(bundle.hash, metadata, crons, migrations),
        metadata,
        routes: declaredRoutes(service.config).map((route) => ({
          pattern: route.pattern,
          ...(route.zoneName ? { zoneName: route.zoneName } : {}),
          customDomain: route.customDomain,
          source: { file: configFile, key: route.keyPath },
        })),
        crons: [...crons],
        secrets: [...own.secrets],
        suppliedSecrets: own.secrets.filter((name) => readSecretValue(service.name, name, options.env) !== undefined),
        ...(own.rollout ? { rollout: desiredRollout(own.rollout, { file: packageFile, key: 'edgeops.rollout' }) } : {}),
        producerQueues: [...new Set((service.config.queues?.producers ?? []).map((producer) => producer.queue))],
        queueConsumers: (service.config.queues?.consumers ?? []).map((consumer, consumerIndex) => ({
          queue: consumer.queue,
          settings: consumerSettingsOf(consumer),
          ...(consumer.dead_letter_queue ? { deadLetterQueue: consumer.dead_letter_queue } : {}),
          source: { file: configFile, key: `queues.consumers.${consumerIndex}` },
        })),
        resources: configResources(service.config, configFile),
        dependsOn: [...new Set((service.config.services ?? []).map((binding) => binding.service))],
        ...(d1Migrations.length > 0 ? { d1Migrations } : {}),
        source: { config: configFile, packageJson: packageFile },
        ...(migrations.length > 0 ? { migrations } : {}),
      };
    }),
  );
  return {
    desired: { owner: root.owner, prune: root.prune, ...(root.zones ? { zones: root.zones } : {}), commit: options.commit ?? 'unknown', services },
    bundles,
    concurrency: root.concurrency,
  };
}
