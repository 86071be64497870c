import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import * as z from 'zod';
import {
  DEFAULT_TOP_LEVEL_ENVIRONMENT,
  environmentOwnerTag,
  environmentResourceName,
  environmentWorkerName,
  EnvironmentCredentials,
  INHERITABLE_KEYS,
  NON_INHERITABLE_KEYS,
  PREVIEW_BASE,
  PREVIEW_ENVIRONMENT,
  type EnvironmentSettings,
} from '../cloudflare/environments.ts';
import { parseRoutePattern, RoutePatternError } from '../cloudflare/route-pattern.ts';
import { ENVIRONMENT_CHECKS } from './check.ts';
import { ConfigError, type ConfigIssue } from './errors.ts';
import type { Fleet, FleetService } from './load.ts';
import type { MergedServiceConfig } from './merge.ts';
import { declaredRoutes } from './routes.ts';
import { RouteConfig, ServiceConfig } from './schema.ts';
import { lineOfKey } from './source.ts';

/** The environment a command works in. */
export interface SelectedEnvironment {
  name: string;
  /** The top-level environment (`[gitops] environment`): Worker and resource names as written. */
  topLevel: boolean;
  /** Names of the variables holding this environment's Cloudflare credentials. */
  credentials: EnvironmentCredentials;
}

/** The fleet as one environment sees it: Worker names, routes, bindings, owner tag and prune of that environment. */
export interface EnvironmentFleet extends Fleet {
  environment: SelectedEnvironment;
}

/** A service's own `[env.<name>]` table, read with wrangler's rules: every key optional. */
const ServiceEnvironmentTable = ServiceConfig.partial();
type ServiceEnvironmentTable = z.infer<typeof ServiceEnvironmentTable>;

interface Sources {
  root: { file: string; text: string };
  services: Map<string, { file: string; text: string }>;
}

function at(source: { file: string; text: string }, keyPath: string[], message: string): ConfigIssue {
  const line = lineOfKey(source.text, keyPath);
  return { file: source.file, keyPath: keyPath.join('.'), ...(line ? { line } : {}), message };
}

function hostOf(pattern: string, customDomain: boolean): string | undefined {
  if (customDomain) return pattern.toLowerCase();
  try {
    return parseRoutePattern(pattern).host;
  } catch (error) {
    if (error instanceof RoutePatternError) return undefined;
    throw error;
  }
}

/** The zone a host belongs to: the longest of the fleet's zones it ends with, else its parent domain. */
function zoneOfHost(host: string, zones: readonly string[]): string {
  const matching = zones.filter((zone) => host === zone || host.endsWith(`.${zone}`)).sort((a, b) => b.length - a.length);
  return matching[0] ?? host.split('.').slice(-2).join('.');
}

function mapRoute(route: RouteConfig, hosts: Record<string, string>): RouteConfig {
  const pattern = typeof route === 'string' ? route : route.pattern;
  const customDomain = typeof route === 'string' ? false : (route.custom_domain ?? false);
  const host = hostOf(pattern, customDomain);
  const mapped = host ? hosts[host] : undefined;
  if (!host || !mapped) return route;
  const index = pattern.toLowerCase().indexOf(host);
  const next = `${pattern.slice(0, index)}${mapped}${pattern.slice(index + host.length)}`;
  return typeof route === 'string' ? next : { ...route, pattern: next };
}

/** The route hosts the top-level environment's services use, with where each is declared. */
function topLevelHosts(fleet: Fleet): Map<string, { service: FleetService; keyPath: string }> {
  const hosts = new Map<string, { service: FleetService; keyPath: string }>();
  for (const service of fleet.services) {
    for (const route of declaredRoutes(service.config)) {
      const host = hostOf(route.pattern, route.customDomain);
      if (host && !hosts.has(host)) hosts.set(host, { service, keyPath: route.keyPath });
    }
  }
  return hosts;
}

function ownTables(service: FleetService): Record<string, unknown> {
  const env = service.config.env;
  return env && typeof env === 'object' ? (env as Record<string, unknown>) : {};
}

/**
 * Every declared environment, checked together (the checks compare environments): names, the
 * services' own `[env.<name>]` tables, host mappings inside the zone, one host per environment.
 */
function environmentIssues(fleet: Fleet, sources: Sources): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const topLevel = fleet.root.gitops.environment ?? DEFAULT_TOP_LEVEL_ENVIRONMENT;
  const declared = fleet.root.env ?? {};
  const zones = fleet.root.gitops.zones ?? [];
  if (declared[topLevel]) {
    issues.push(at(sources.root, ['env', topLevel], `"${topLevel}" is the top-level environment ([gitops] environment): write its settings at the top level, or name another top-level environment`));
  }
  for (const service of fleet.services) {
    const source = sources.services.get(service.name)!;
    for (const [name, table] of Object.entries(ownTables(service))) {
      if (name === topLevel) {
        issues.push(at(source, ['env', name], `"${name}" is the top-level environment ([gitops] environment in wrangler.toml): its settings are this file's top level`));
      } else if (!declared[name]) {
        issues.push(at(source, ['env', name], `environment "${name}" is not declared in wrangler.toml; expected one of: ${Object.keys(declared).join(', ') || '(none: add [env.' + name + '] to wrangler.toml)'}`));
      } else {
        const parsed = ServiceEnvironmentTable.safeParse(table);
        if (!parsed.success) {
          for (const issue of parsed.error.issues) issues.push(at(source, ['env', name, ...issue.path.map(String)], `expected ${issue.message.replace(/^Invalid input: expected /, '')}`));
        }
      }
    }
  }
  const used = topLevelHosts(fleet);
  const holders = new Map<string, string>([...used.keys()].map((host) => [host, `the top-level environment (${topLevel})`]));
  for (const [name, settings] of Object.entries(declared)) {
    for (const [from, to] of Object.entries(settings.hosts)) {
      const zone = zoneOfHost(from, zones);
      if (to !== zone && !to.endsWith(`.${zone}`)) {
        issues.push(at(sources.root, ['env', name, 'hosts', from], `maps to "${to}", which leaves the zone ${zone}; expected a host ending in .${zone}`));
      }
      const holder = holders.get(to);
      if (holder) issues.push(at(sources.root, ['env', name, 'hosts', from], `maps to "${to}", which ${holder} already uses; each environment needs hosts of its own`));
      else holders.set(to, `env.${name}.hosts`);
    }
    for (const [host, declaredAt] of used) {
      if (settings.hosts[host]) continue;
      const own = ownTables(declaredAt.service)[name] as ServiceEnvironmentTable | undefined;
      if (own && (own.route !== undefined || own.routes !== undefined)) continue;
      const file = relative(fleet.rootDir, declaredAt.service.configPath);
      issues.push(at(sources.root, ['env', name, 'hosts'], `has no mapping for the route host "${host}" (${file} ${declaredAt.keyPath}); add "${host}" = "<host of ${name}>"`));
    }
  }
  return issues;
}

/** A service in a named environment whose folder declares `[env.<name>]`: wrangler's rules, fleet vars under the table's. */
function fromOwnTable(fleet: Fleet, service: FleetService, name: string, settings: EnvironmentSettings, own: ServiceEnvironmentTable): MergedServiceConfig {
  const { env: _tables, ...top } = service.config;
  const config: Record<string, unknown> = { name: own.name ?? environmentWorkerName(service.name, name) };
  for (const key of INHERITABLE_KEYS) {
    const value = own[key] ?? top[key];
    if (value !== undefined) config[key] = value;
  }
  if (own.route === undefined && own.routes === undefined) {
    if (top.route) config.route = mapRoute(top.route, settings.hosts);
    if (top.routes) config.routes = top.routes.map((route) => mapRoute(route, settings.hosts));
  }
  for (const key of NON_INHERITABLE_KEYS) if (own[key] !== undefined) config[key] = own[key];
  const vars = { ...(fleet.root.vars ?? {}), ...(settings.vars ?? {}), ...(own.vars ?? {}) };
  if (Object.keys(vars).length > 0) config.vars = vars;
  return config as MergedServiceConfig;
}

/**
 * A service in a named environment whose folder declares nothing for it: derived from the top
 * level so every binding stays inside the environment: Worker `<name>-<env>`, routes on the
 * environment's hosts, service bindings to `<service>-<env>`, D1 databases, R2 buckets and queues
 * named `<name>-<env>` (KV namespaces follow the Worker name by themselves).
 */
function derived(
  service: FleetService,
  name: string,
  settings: EnvironmentSettings,
  workerNames: Map<string, string>,
  source: { file: string; text: string },
  issues: ConfigIssue[],
): MergedServiceConfig {
  const { env: _tables, ...top } = service.config;
  const suffix = (resource: string) => environmentResourceName(resource, name);
  const pinned = (keyPath: string[], what: string) =>
    issues.push(
      at(source, keyPath, `pins one ${what} for every environment, so environment "${name}" would share it; drop the id to let each environment provision its own, or declare [env.${name}] with its own bindings in this file`),
    );
  (top.kv_namespaces ?? []).forEach((namespace, index) => namespace.id !== undefined && pinned(['kv_namespaces', String(index), 'id'], 'KV namespace'));
  (top.d1_databases ?? []).forEach((database, index) => database.database_id !== undefined && pinned(['d1_databases', String(index), 'database_id'], 'D1 database'));
  const queues = top.queues
    ? {
        ...(top.queues.producers ? { producers: top.queues.producers.map((producer) => ({ ...producer, queue: suffix(producer.queue) })) } : {}),
        ...(top.queues.consumers
          ? {
              consumers: top.queues.consumers.map((consumer) => ({
                ...consumer,
                queue: suffix(consumer.queue),
                ...(consumer.dead_letter_queue ? { dead_letter_queue: suffix(consumer.dead_letter_queue) } : {}),
              })),
            }
          : {}),
      }
    : undefined;
  const vars = { ...(top.vars ?? {}), ...(settings.vars ?? {}) };
  return {
    ...top,
    name: environmentWorkerName(service.name, name),
    ...(top.route ? { route: mapRoute(top.route, settings.hosts) } : {}),
    ...(top.routes ? { routes: top.routes.map((route) => mapRoute(route, settings.hosts)) } : {}),
    ...(top.services
      ? { services: top.services.map((binding) => ({ ...binding, service: workerNames.get(binding.service) ?? binding.service })) }
      : {}),
    ...(top.d1_databases ? { d1_databases: top.d1_databases.map((database) => ({ ...database, database_name: suffix(database.database_name) })) } : {}),
    ...(top.r2_buckets ? { r2_buckets: top.r2_buckets.map((bucket) => ({ ...bucket, bucket_name: suffix(bucket.bucket_name) })) } : {}),
    ...(queues ? { queues } : {}),
    ...(Object.keys(vars).length > 0 ? { vars } : {}),
  };
}

async function readSources(fleet: Fleet): Promise<Sources> {
  const text = (path: string) => readFile(path, 'utf8').catch(() => '');
  const services = new Map<string, { file: string; text: string }>();
  for (const service of fleet.services) services.set(service.name, { file: relative(fleet.rootDir, service.configPath), text: await text(service.configPath) });
  return { root: { file: relative(fleet.rootDir, fleet.rootConfigPath) || 'wrangler.toml', text: await text(fleet.rootConfigPath) }, services };
}

export interface EnvironmentOptions {
  /** For a preview (`pr-<n>`): the services (folder names) it deploys, see preview-set.ts. */
  previewServices?: readonly string[];
}

/**
 * The fleet in environment `requested` (default: the top-level environment). Every environment
 * declared is checked first, so a bad `[env.*]` table stops every command before any API call,
 * with the file and key; an unknown environment name is an error naming the root's `env` table.
 * `pr-<n>` is a pull request's preview, derived from `staging` (see {@link previewFleet}).
 */
export async function selectEnvironment(fleet: Fleet, requested?: string, options: EnvironmentOptions = {}): Promise<EnvironmentFleet> {
  const sources = await readSources(fleet);
  const issues = environmentIssues(fleet, sources);
  const topLevel = fleet.root.gitops.environment ?? DEFAULT_TOP_LEVEL_ENVIRONMENT;
  const declared = fleet.root.env ?? {};
  const name = requested ?? topLevel;
  if (PREVIEW_ENVIRONMENT.test(name)) {
    if (!declared[PREVIEW_BASE]) {
      issues.push({ file: sources.root.file, keyPath: `env.${PREVIEW_BASE}`, message: `preview "${name}" binds to and derives from ${PREVIEW_BASE}: declare [env.${PREVIEW_BASE}] in wrangler.toml` });
    }
    if (issues.length > 0) throw new ConfigError(issues);
    return previewFleet(fleet, name, options.previewServices, await selectEnvironment(fleet, PREVIEW_BASE), sources);
  }
  const settings = declared[name];
  if (name !== topLevel && !settings) {
    const known = [`${topLevel} (top level)`, ...Object.keys(declared), 'pr-<number> (a preview)'].join(', ');
    issues.push({ file: sources.root.file, keyPath: `env.${name}`, message: `no environment "${name}" is declared; expected one of: ${known}` });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  if (name === topLevel || !settings) {
    return { ...fleet, environment: { name, topLevel: true, credentials: EnvironmentCredentials.parse({}) } };
  }
  const ownOf = (service: FleetService) => {
    const own = ownTables(service)[name];
    return own === undefined ? undefined : ServiceEnvironmentTable.parse(own);
  };
  // Each service's Worker name here, so a derived service binding reaches its peer in this environment.
  const workerNames = new Map(fleet.services.map((service) => [service.name, ownOf(service)?.name ?? environmentWorkerName(service.name, name)]));
  const services = fleet.services.map((service): FleetService => {
    const own = ownOf(service);
    const config = own
      ? fromOwnTable(fleet, service, name, settings, own)
      : derived(service, name, settings, workerNames, sources.services.get(service.name)!, issues);
    return { ...service, name: config.name, config };
  });
  if (issues.length > 0) throw new ConfigError(issues);
  const selected: EnvironmentFleet = {
    ...fleet,
    root: {
      ...fleet.root,
      gitops: { ...fleet.root.gitops, owner: environmentOwnerTag(fleet.root.gitops.owner, name), prune: settings.prune ?? fleet.root.gitops.prune },
    },
    services,
    environment: { name, topLevel: false, credentials: settings.credentials },
  };
  checkIn(selected, name);
  return selected;
}

function checkIn(fleet: Fleet, name: string): void {
  const checked = ENVIRONMENT_CHECKS.flatMap((check) => check(fleet));
  if (checked.length > 0) throw new ConfigError(checked.map((issue) => ({ ...issue, message: `in environment "${name}": ${issue.message}` })));
}

/**
 * A pull request's preview `pr-<n>`: only the services it deploys, as copies derived from the top
 * level like a named environment (`<name>-pr-<n>`, their own KV, D1, R2 and queues), on staging's
 * hosts prefixed with `pr-<n>.` (`pr-12.api.staging.example.com`). A service binding reaches the
 * preview copy where the preview has one and staging's Worker otherwise. Its owner tag is
 * `<owner>-pr-<n>`, it always prunes (a service leaving the preview is removed), and it uses
 * staging's credentials.
 */
function previewFleet(fleet: Fleet, name: string, deploys: readonly string[] | undefined, staging: EnvironmentFleet, sources: Sources): EnvironmentFleet {
  if (deploys === undefined) throw new Error(`preview "${name}" needs the services it deploys: pass --base <ref> (the pull request's base) to take them from git diff`);
  const known = new Set(fleet.services.map((service) => service.name));
  const unknown = deploys.filter((service) => !known.has(service));
  if (unknown.length > 0) throw new Error(`preview "${name}": no service named ${unknown.join(', ')} in the fleet`);
  const settings = fleet.root.env?.[PREVIEW_BASE]!;
  const previewSettings: EnvironmentSettings = { ...settings, hosts: Object.fromEntries(Object.entries(settings.hosts).map(([from, to]) => [from, `${name}.${to}`])) };
  const included = new Set(deploys);
  const workerNames = new Map(fleet.services.map((service, index) => [service.name, included.has(service.name) ? environmentWorkerName(service.name, name) : staging.services[index]!.name]));
  const issues: ConfigIssue[] = [];
  const copies = fleet.services.flatMap((service): FleetService[] => {
    if (!included.has(service.name)) return [];
    const config = derived(service, name, previewSettings, workerNames, sources.services.get(service.name)!, issues);
    return [{ ...service, name: config.name, config }];
  });
  if (issues.length > 0) throw new ConfigError(issues);
  // Checked beside staging's Workers it binds to; only the copies are the preview's.
  checkIn({ ...fleet, services: [...copies, ...staging.services.filter((_service, index) => !included.has(fleet.services[index]!.name))] }, name);
  return {
    ...fleet,
    root: { ...fleet.root, gitops: { ...fleet.root.gitops, owner: environmentOwnerTag(fleet.root.gitops.owner, name), prune: true } },
    services: copies,
    environment: { name, topLevel: false, credentials: staging.environment.credentials },
  };
}

/**
 * The process environment as the target resolver reads it: a named environment's credential
 * variables (e.g. `CLOUDFLARE_API_TOKEN_STAGING`) seen under Cloudflare's usual names.
 */
export function credentialsEnv(environment: SelectedEnvironment, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { api_token: token, account_id: account } = environment.credentials;
  return { ...env, CLOUDFLARE_API_TOKEN: env[token], CLOUDFLARE_ACCOUNT_ID: env[account] };
}
