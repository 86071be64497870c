import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, type ConfigIssue } from '../errors.ts';
import { credentialsEnv, selectEnvironment } from '../environment.ts';
import { loadFleet } from '../load.ts';
import { previewSet } from '../preview-set.ts';
import { copyExampleFleet } from '../testing.ts';

let fleetCopy: Awaited<ReturnType<typeof copyExampleFleet>>;
beforeEach(async () => {
  fleetCopy = await copyExampleFleet();
});
afterEach(async () => fleetCopy.remove());

const rootFile = () => join(fleetCopy.rootDir, 'wrangler.toml');
const serviceFile = (name: string) => join(fleetCopy.rootDir, 'services', name, 'wrangler.toml');

async function select(requested?: string) {
  return selectEnvironment(await loadFleet(fleetCopy.rootDir), requested);
}

async function issuesOf(requested?: string): Promise<ConfigIssue[]> {
  const error = await select(requested).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).issues;
}

describe('environments: the fleet as one environment sees it', () => {
  it('without --env is the top-level environment, names and owner tag as written', async () => {
    const fleet = await select();
    expect(fleet.environment).toMatchObject({ name: 'production', topLevel: true });
    expect(fleet.services.map((service) => service.name)).toEqual(['notifications', 'orders', 'users']);
    expect(fleet.root.gitops.owner).toBe('edgeops-example');
    expect(fleet.services.find((service) => service.name === 'orders')?.config.vars).toMatchObject({ STAGE: 'production' });
  });

  it('staging: wrangler Worker names, mapped hosts, bindings and data inside the environment, its owner tag and vars', async () => {
    const fleet = await select('staging');
    expect(fleet.environment).toMatchObject({ name: 'staging', topLevel: false });
    expect(fleet.root.gitops.owner).toBe('edgeops-example-staging');
    expect(fleet.services.map((service) => service.name)).toEqual(['notifications-staging', 'orders-staging', 'users-staging']);
    const orders = fleet.services.find((service) => service.name === 'orders-staging')!;
    expect(orders.config.routes).toEqual([{ pattern: 'api.staging.example.com/orders*', zone_name: 'example.com' }]);
    expect(orders.config.services).toEqual([{ binding: 'USERS', service: 'users-staging' }]);
    expect(orders.config.d1_databases).toEqual([{ binding: 'DB', database_name: 'orders-staging' }]);
    expect(orders.config.queues?.producers).toEqual([{ binding: 'ORDER_EVENTS', queue: 'order-events-staging' }]);
    expect(orders.config.vars).toMatchObject({ FLEET: 'edgeops-example', STAGE: 'staging' });
    const notifications = fleet.services.find((service) => service.name === 'notifications-staging')!;
    expect(notifications.config.queues?.consumers?.map((consumer) => consumer.queue)).toEqual(['order-events-staging']);
    expect(notifications.config.triggers).toEqual({ crons: ['0 * * * *'] });
    // The folder stays the service's identity: the bundle is the same code.
    expect(notifications.dir).toBe(join(fleetCopy.rootDir, 'services', 'notifications'));
  });

  it("a service's own [env.staging] follows wrangler's rules: inheritable keys from the top level, bindings only from the table", async () => {
    await appendFile(
      serviceFile('users'),
      ['', '[env.staging]', 'name = "users-stage"', '[env.staging.vars]', 'LEVEL = "debug"', '[[env.staging.kv_namespaces]]', 'binding = "USERS"', 'id = "staging-users-namespace"', ''].join('\n'),
    );
    const staging = await select('staging');
    const users = staging.services.find((service) => service.config.name === 'users-stage')!;
    // A derived service binding reaches its peer under the name the peer has in this environment.
    expect(staging.services.find((service) => service.name === 'orders-staging')?.config.services).toEqual([{ binding: 'USERS', service: 'users-stage' }]);
    expect(users.name).toBe('users-stage');
    expect(users.config.main).toBe('src/index.ts');
    expect(users.config.routes).toEqual([{ pattern: 'api.staging.example.com/users*', zone_name: 'example.com' }]);
    expect(users.config.kv_namespaces).toEqual([{ binding: 'USERS', id: 'staging-users-namespace' }]);
    expect(users.config.vars).toEqual({ FLEET: 'edgeops-example', STAGE: 'staging', LEVEL: 'debug' });
  });

  it('reads a named environment\'s credentials from its own variables', async () => {
    const fleet = await select('staging');
    const env = credentialsEnv(fleet.environment, { CLOUDFLARE_API_TOKEN_STAGING: 'staging-token', CLOUDFLARE_ACCOUNT_ID_STAGING: 'staging-account', CLOUDFLARE_API_TOKEN: 'prod' });
    expect(env).toMatchObject({ CLOUDFLARE_API_TOKEN: 'staging-token', CLOUDFLARE_ACCOUNT_ID: 'staging-account' });
  });
});

describe('environments: bad config is an error naming file and key', () => {
  it('an unknown environment name', async () => {
    const issues = await issuesOf('qa');
    expect(issues).toEqual([expect.objectContaining({ file: 'wrangler.toml', keyPath: 'env.qa' })]);
    expect(issues[0]?.message).toContain('expected one of: production (top level), staging');
  });

  it('a host mapping that leaves the zone', async () => {
    const text = await readFile(rootFile(), 'utf8');
    await writeFile(rootFile(), text.replace('"api.staging.example.com"', '"api.staging.example.net"'));
    const issues = await issuesOf('staging');
    expect(issues).toEqual([expect.objectContaining({ file: 'wrangler.toml', keyPath: 'env.staging.hosts.api.example.com', line: expect.any(Number) })]);
    expect(issues[0]?.message).toContain('leaves the zone example.com');
  });

  it('two environments mapping to one host (checked whichever environment is selected)', async () => {
    await appendFile(rootFile(), '\n[env.qa]\nhosts = { "api.example.com" = "api.staging.example.com" }\n');
    const issues = await issuesOf();
    expect(issues).toEqual([expect.objectContaining({ file: 'wrangler.toml', keyPath: 'env.qa.hosts.api.example.com' })]);
    expect(issues[0]?.message).toContain('env.staging.hosts already uses');
  });

  it('a route host an environment does not map, and a service table for an undeclared environment', async () => {
    await appendFile(rootFile(), '\n[env.qa]\nvars = { STAGE = "qa" }\n');
    await appendFile(serviceFile('orders'), '\n[env.demo]\nworkers_dev = true\n');
    const issues = await issuesOf();
    expect(issues).toEqual([
      expect.objectContaining({ file: 'services/orders/wrangler.toml', keyPath: 'env.demo' }),
      expect.objectContaining({ file: 'wrangler.toml', keyPath: 'env.qa.hosts' }),
    ]);
    expect(issues[1]?.message).toContain('no mapping for the route host "api.example.com"');
  });

  it('a KV namespace pinned by id would be shared by every environment', async () => {
    const text = await readFile(serviceFile('users'), 'utf8');
    await writeFile(serviceFile('users'), text.replace('binding = "USERS"', 'binding = "USERS"\nid = "one-namespace"'));
    expect((await select()).services).toHaveLength(3);
    const issues = await issuesOf('staging');
    expect(issues).toEqual([expect.objectContaining({ file: 'services/users/wrangler.toml', keyPath: 'kv_namespaces.0.id' })]);
  });
});

describe('previews: pr-<n>, derived from staging', () => {
  it('deploys the services a change touches (folder or contract) and their dependants', async () => {
    const fleet = await loadFleet(fleetCopy.rootDir);
    expect(previewSet(fleet, ['services/orders/src/index.ts', 'README.md'])).toEqual(['orders']);
    expect(previewSet(fleet, ['shared/src/contracts/users.ts'])).toEqual(['orders', 'users']);
    expect(previewSet(fleet, ['docs/gitops.md'])).toEqual([]);
  });

  it("binds the preview copy where there is one and staging's Worker otherwise; own data, pr-<n>. hosts, its own owner tag", async () => {
    const preview = await selectEnvironment(await loadFleet(fleetCopy.rootDir), 'pr-12', { previewServices: ['orders'] });
    expect(preview.root.gitops.owner).toBe('edgeops-example-pr-12');
    expect(preview.root.gitops.prune).toBe(true);
    expect(preview.services.map((service) => service.name)).toEqual(['orders-pr-12']);
    const orders = preview.services[0]!;
    expect(orders.config.services).toEqual([{ binding: 'USERS', service: 'users-staging' }]);
    expect(orders.config.routes).toEqual([{ pattern: 'pr-12.api.staging.example.com/orders*', zone_name: 'example.com' }]);
    expect(orders.config.d1_databases).toEqual([{ binding: 'DB', database_name: 'orders-pr-12' }]);
    const both = await selectEnvironment(await loadFleet(fleetCopy.rootDir), 'pr-12', { previewServices: ['orders', 'users'] });
    expect(both.services.find((service) => service.name === 'orders-pr-12')?.config.services).toEqual([{ binding: 'USERS', service: 'users-pr-12' }]);
  });

  it('needs staging declared', async () => {
    const text = await readFile(rootFile(), 'utf8');
    await writeFile(rootFile(), text.replace('[env.staging]', '[env.qa]').replace('api.staging.example.com', 'api.qa.example.com'));
    const error = await selectEnvironment(await loadFleet(fleetCopy.rootDir), 'pr-12', { previewServices: ['orders'] }).catch((thrown: unknown) => thrown);
    expect((error as ConfigError).issues).toEqual([expect.objectContaining({ file: 'wrangler.toml', keyPath: 'env.staging' })]);
  });
});
