import type { PlanOptions } from '../../plan/make-plan.ts';
import type { DesiredService, DesiredState } from '../../state/desired.ts';
import type { ObservedScript, ObservedState } from '../../state/observed.ts';

/** Builders for pure plan tests: small literal states, defaults filled in. */

/** Plan options for the cloudflare target, created at a fixed time, nothing pruned, adopted or scoped. */
export function planOptions(overrides: Partial<PlanOptions> = {}): PlanOptions {
  return {
    target: 'cloudflare',
    prune: false,
    adopt: false,
    createdAt: '2026-01-01T00:00:00.000Z',
    scope: { schedulesFor: [], secretsFor: [], historyFor: [] },
    ...overrides,
  };
}

export function service(name: string, overrides: Partial<DesiredService> = {}): DesiredService {
  return {
    name,
    version: '1.0.0',
    contentHash: `${name}-hash-1`.padEnd(64, '0'),
    metadata: { main_module: 'index.js', compatibility_date: '2025-01-01', bindings: [] },
    routes: [],
    crons: [],
    secrets: [],
    suppliedSecrets: [],
    producerQueues: [],
    queueConsumers: [],
    resources: [],
    dependsOn: [],
    source: { config: `services/${name}/wrangler.toml`, packageJson: `services/${name}/package.json` },
    ...overrides,
  };
}

export function route(pattern: string, key = 'routes.0') {
  return { pattern, customDomain: false, source: { file: 'services/x/wrangler.toml', key } };
}

export function desiredState(services: DesiredService[], overrides: Partial<DesiredState> = {}): DesiredState {
  return { owner: 'edgeops', prune: false, commit: 'abc123', services, ...overrides };
}

/** A script that serves one version (tag + hash) at 100%. */
export function deployedScript(name: string, tag: string, hash: string, overrides: Partial<ObservedScript> = {}): ObservedScript {
  return {
    name,
    deployment: [{ versionId: `${name}-v1`, percentage: 100 }],
    versions: [{ id: `${name}-v1`, number: 1, tag, hash }],
    historyListed: false,
    ...overrides,
  };
}

export function observedState(overrides: Partial<ObservedState> = {}): ObservedState {
  return {
    accountId: 'acc',
    scripts: [],
    foreignScripts: [],
    zones: [{ id: 'zone-1', name: 'example.com' }],
    routes: [],
    domains: [],
    queues: [],
    kvNamespaces: [],
    d1Databases: [],
    r2Buckets: [],
    ...overrides,
  };
}
