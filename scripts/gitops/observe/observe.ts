import type { CloudflareClient } from '../api/client.ts';
import {
  getSchedules,
  getVersion,
  listDeployments,
  listDomains,
  listRoutes,
  listScripts,
  listSecretNames,
  listVersions,
  listQueues,
  listZones,
  listKvNamespaces,
  listD1Databases,
  listR2Buckets,
  type VersionSummary,
} from '../api/cloudflare.ts';
import { hashFromMessage } from '../api/multipart.ts';
import { isLocalTagOf } from '../plan/local-tag.ts';
import type { DesiredService, DesiredState } from '../state/desired.ts';
import type { Target } from '../plan/plan.ts';
import type { ObserveScope, ObservedScript, ObservedState, ObservedVersion } from '../state/observed.ts';
import { VersionCache, type CachedVersion } from './version-cache.ts';
import { observeD1Migrations } from './d1-migrations.ts';

export interface ObserveOptions {
  /** Re-observe exactly what a saved plan observed (stale-plan check); otherwise derived from desired. */
  scope?: ObserveScope;
  versionCache?: VersionCache;
  /** A local prerelease tag (`1.2.0-local.…`) stands for its version on target local only (default local). */
  target?: Target;
}

export interface Observation {
  observed: ObservedState;
  scope: ObserveScope;
}

function fromSummary(summary: VersionSummary): CachedVersion {
  const tag = summary.annotations?.['workers/tag'];
  const hash = hashFromMessage(summary.annotations?.['workers/message']);
  return { ...(summary.number !== undefined ? { number: summary.number } : {}), ...(tag ? { tag } : {}), ...(hash ? { hash } : {}) };
}

/** True when a version the script serves already is what git declares on this target (no history lookup needed). */
function servesDeclared(service: DesiredService, versions: ObservedVersion[], target: Target): boolean {
  return versions.some(
    (version) => version.hash === service.contentHash && version.tag !== undefined && (version.tag === service.version || (target === 'local' && isLocalTagOf(version.tag, service.version))),
  );
}

const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);

/**
 * Reads the account through the API. Constant calls: owned scripts (`?tags=<owner>:yes`), all
 * scripts, zones, custom domains, queues (with their consumers), KV namespaces, D1 databases, and routes per zone. Per managed script: one deployments call;
 * version annotations come from the cache (fetched once per version id, ever); schedules only for
 * services that declare crons, secret names only for services that declare secrets, and the version
 * history only for services whose declared version is not the one deployed. Per existing D1
 * database whose migrations git declares: its applied migrations, through the D1 query API.
 */
export async function observe(client: CloudflareClient, desired: DesiredState, options: ObserveOptions = {}): Promise<Observation> {
  const cache = options.versionCache ?? new VersionCache();
  const cacheKey = (script: string, id: string) => `${client.apiUrl}|${client.accountId}|${script}|${id}`;
  const [ownedList, allList, accountZones, domains, queues, kvNamespaces, d1Databases, r2Buckets] = await Promise.all([
    listScripts(client, desired.owner),
    listScripts(client),
    listZones(client),
    listDomains(client),
    listQueues(client),
    listKvNamespaces(client),
    listD1Databases(client),
    listR2Buckets(client),
  ]);
  const zones = desired.zones ? accountZones.filter((zone) => desired.zones?.includes(zone.name)) : accountZones;
  const ownedNames = ownedList.map((script) => script.id).sort();
  const migrationTags = new Map(ownedList.flatMap((script) => (script.migration_tag ? [[script.id, script.migration_tag] as const] : [])));
  const owned = new Set(ownedNames);
  const foreignScripts = allList.map((script) => script.id).filter((name) => !owned.has(name)).sort();
  const routeLists = await Promise.all(zones.map(async (zone) => ({ zone, routes: await listRoutes(client, zone.id) })));
  const declared = new Map(desired.services.map((service) => [service.name, service]));

  const scope: ObserveScope = options.scope
    ? { ...options.scope, historyFor: [...options.scope.historyFor], schedulesFor: [...options.scope.schedulesFor] }
    : {
        schedulesFor: desired.services.filter((service) => owned.has(service.name) && service.crons.length > 0).map((service) => service.name),
        secretsFor: desired.services.filter((service) => owned.has(service.name) && service.secrets.length > 0).map((service) => service.name),
        historyFor: [],
      };
  const deriveHistory = options.scope === undefined;
  const target = options.target ?? 'local';

  const versionOf = async (script: string, id: string): Promise<ObservedVersion> => {
    const key = cacheKey(script, id);
    let known = cache.get(key);
    if (!known) {
      known = fromSummary(await getVersion(client, script, id));
      cache.set(key, known);
    }
    return { id, ...known };
  };

  const scripts = await Promise.all(
    ownedNames.map(async (name): Promise<ObservedScript> => {
      const deployments = await listDeployments(client, name);
      const current = deployments[0]?.versions ?? [];
      const deployment = current.map((entry) => ({ versionId: entry.version_id, percentage: entry.percentage }));
      const versions = await Promise.all(deployment.map((entry) => versionOf(name, entry.versionId)));
      const service = declared.get(name);
      const wantsHistory = deriveHistory ? service !== undefined && (service.rollout !== undefined || !servesDeclared(service, versions, target)) : scope.historyFor.includes(name);
      if (deriveHistory && wantsHistory) {
        scope.historyFor.push(name);
        // Its deployment may change: read its crons too, so the plan compares them instead of guessing.
        if (!scope.schedulesFor.includes(name)) scope.schedulesFor.push(name);
      }
      const [history, schedules, secrets] = await Promise.all([
        wantsHistory ? listVersions(client, name) : Promise.resolve(undefined),
        scope.schedulesFor.includes(name) ? getSchedules(client, name) : Promise.resolve(undefined),
        scope.secretsFor.includes(name) ? listSecretNames(client, name) : Promise.resolve(undefined),
      ]);
      const all = new Map(versions.map((version) => [version.id, version]));
      for (const summary of history ?? []) {
        const key = cacheKey(name, summary.id);
        let known = cache.get(key);
        if (known && known.number === undefined && summary.number !== undefined) {
          // Uploads answered without a number (PUT script): the listing completes the entry.
          known = { ...known, number: summary.number };
          cache.set(key, known);
        }
        if (!known && summary.annotations) {
          known = fromSummary(summary);
          cache.set(key, known);
        }
        all.set(summary.id, known ? { id: summary.id, ...known } : await versionOf(name, summary.id));
      }
      return {
        name,
        deployment,
        versions: [...all.values()].sort((a, b) => (a.number ?? 0) - (b.number ?? 0) || a.id.localeCompare(b.id)),
        historyListed: history !== undefined,
        ...(deployments[0]?.annotations?.['workers/message'] ? { deploymentMessage: deployments[0].annotations['workers/message'] } : {}),
        ...(deployments[0]?.created_on ? { deployedOn: deployments[0].created_on } : {}),
        ...(schedules ? { schedules: [...schedules].sort() } : {}),
        ...(secrets ? { secrets: [...secrets].sort() } : {}),
        ...(migrationTags.has(name) ? { migrationTag: migrationTags.get(name) } : {}),
      };
    }),
  );
  scope.historyFor.sort();
  scope.schedulesFor.sort();
  await cache.save();
  const observedDatabases = d1Databases.map((database) => ({ id: database.uuid, name: database.name }));
  const d1Migrations = await observeD1Migrations(client, desired, observedDatabases);

  return {
    observed: {
      accountId: client.accountId,
      scripts: scripts.sort(byName),
      foreignScripts,
      zones: zones.map((zone) => ({ id: zone.id, name: zone.name })).sort(byName),
      routes: routeLists
        .flatMap(({ zone, routes }) =>
          routes.map((route) => ({ id: route.id, zoneId: zone.id, pattern: route.pattern, ...(route.script ? { script: route.script } : {}) })),
        )
        .sort((a, b) => a.zoneId.localeCompare(b.zoneId) || a.pattern.localeCompare(b.pattern)),
      domains: domains
        .map((domain) => ({ id: domain.id, hostname: domain.hostname, service: domain.service, ...(domain.zone_id ? { zoneId: domain.zone_id } : {}) }))
        .sort((a, b) => a.hostname.localeCompare(b.hostname)),
      queues: queues
        .map((queue) => ({
          id: queue.queue_id,
          name: queue.queue_name,
          consumers: (queue.consumers ?? [])
            .map((consumer) => {
              const script = consumer.script_name ?? consumer.script;
              const settings = consumer.settings ?? {};
              return {
                id: consumer.consumer_id,
                type: consumer.type ?? 'worker',
                ...(script ? { script } : {}),
                settings: {
                  ...(settings.batch_size !== undefined ? { batch_size: settings.batch_size } : {}),
                  ...(settings.max_retries !== undefined ? { max_retries: settings.max_retries } : {}),
                  ...(settings.max_wait_time_ms !== undefined ? { max_wait_time_ms: settings.max_wait_time_ms } : {}),
                },
                ...(consumer.dead_letter_queue ? { deadLetterQueue: consumer.dead_letter_queue } : {}),
              };
            })
            .sort((a, b) => a.id.localeCompare(b.id)),
        }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      kvNamespaces: kvNamespaces.map((namespace) => ({ id: namespace.id, name: namespace.title })).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)),
      d1Databases: observedDatabases.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)),
      ...(d1Migrations.length > 0 ? { d1Migrations } : {}),
      r2Buckets: r2Buckets.map((bucket) => ({ id: bucket.name, name: bucket.name })).sort((a, b) => a.name.localeCompare(b.name)),
    },
    scope,
  };
}
