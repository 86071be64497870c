import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bundleService, checkFleet, ConfigError, loadFleet } from '../index.ts';
import { copyExampleFleet, EXAMPLE_SERVICES } from '../testing.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

interface FixtureService {
  toml: string;
  version?: string;
  source?: string;
}

async function fixture(root: string, services: Record<string, FixtureService>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'edgeops-fleet-'));
  dirs.push(dir);
  await writeFile(join(dir, 'wrangler.toml'), root);
  for (const [name, service] of Object.entries(services)) {
    await mkdir(join(dir, 'services', name, 'src'), { recursive: true });
    await writeFile(join(dir, 'services', name, 'wrangler.toml'), service.toml);
    await writeFile(join(dir, 'services', name, 'package.json'), JSON.stringify({ name: `@fixture/${name}`, version: service.version ?? '1.0.0' }));
    await writeFile(join(dir, 'services', name, 'src', 'index.ts'), service.source ?? 'export default { fetch: () => new Response("ok") };\n');
  }
  return dir;
}

const ROOT = 'compatibility_date = "2026-01-01"\ncompatibility_flags = ["nodejs_compat"]\n[vars]\nSHARED = "root"\nOVERRIDE = "root"\n';
const svc = (name: string, extra = '') => `name = "${name}"\nmain = "src/index.ts"\n${extra}`;

async function issuesOf(promise: Promise<unknown>): Promise<string[]> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).message.split('\n');
}

describe('fleet: loading the declared fleet', () => {
  it('loads the example fleet with the root defaults merged in', async () => {
    // A copy of the example services alone: the services a user adds never change this test.
    const example = await copyExampleFleet();
    dirs.push(example.rootDir);
    const fleet = await loadFleet(example.rootDir);
    checkFleet(fleet);
    expect(fleet.services.map((service) => service.name)).toEqual(EXAMPLE_SERVICES);
    const orders = fleet.services.find((service) => service.name === 'orders')!;
    expect(orders.config.compatibility_flags).toEqual(['nodejs_compat']);
    expect(orders.config.vars).toMatchObject({ FLEET: 'edgeops-example' });
  });

  it('merge rule: a service value wins, the root fills in what it leaves out, vars merge key by key', async () => {
    const dir = await fixture(ROOT, {
      a: { toml: svc('a', 'compatibility_date = "2026-03-03"\n[vars]\nOVERRIDE = "service"\nOWN = "a"\n') },
      b: { toml: svc('b', 'compatibility_flags = []\n') },
    });
    const [a, b] = (await loadFleet(dir)).services;
    expect(a!.config).toMatchObject({ compatibility_date: '2026-03-03', compatibility_flags: ['nodejs_compat'], vars: { SHARED: 'root', OVERRIDE: 'service', OWN: 'a' } });
    expect(b!.config).toMatchObject({ compatibility_date: '2026-01-01', compatibility_flags: [], vars: { SHARED: 'root', OVERRIDE: 'root' } });
  });

  it('names the file and line of broken TOML', async () => {
    const dir = await fixture(ROOT, { a: { toml: 'name = "a"\nmain = "src/index.ts"\nroutes = [ "x.example.com/*"\n' } });
    const [line] = await issuesOf(loadFleet(dir));
    expect(line).toMatch(/^services\/a\/wrangler\.toml:\d+: not valid TOML/);
  });

  it('names the file, key and line of a value of the wrong type', async () => {
    const dir = await fixture(ROOT, { a: { toml: svc('a', '\n[triggers]\ncrons = "0 * * * *"\n') } });
    expect(await issuesOf(loadFleet(dir))).toEqual([expect.stringMatching(/^services\/a\/wrangler\.toml:5: triggers\.crons: expected array/)]);
  });

  it('refuses a compatibility date that is no calendar day and a malformed flag, naming file, line and key', async () => {
    const dir = await fixture(ROOT, { a: { toml: svc('a', 'compatibility_date = "2026-13-45"\n') }, b: { toml: svc('b', 'compatibility_date = "2026-02-30"\ncompatibility_flags = ["Node JS"]\n') } });
    const issues = await issuesOf(loadFleet(dir));
    expect(issues).toContainEqual(expect.stringMatching(/^services\/a\/wrangler\.toml:3: compatibility_date: expected a real calendar date/));
    expect(issues).toContainEqual(expect.stringMatching(/^services\/b\/wrangler\.toml:3: compatibility_date: expected a real calendar date/));
    expect(issues).toContainEqual(expect.stringMatching(/^services\/b\/wrangler\.toml:4: compatibility_flags\.0: expected a compatibility flag/));
  });

  it('refuses an invalid Worker name with Cloudflare\'s rule', async () => {
    const dir = await fixture(ROOT, { Bad: { toml: svc('Bad_Name') } });
    expect((await issuesOf(loadFleet(dir)))[0]).toMatch(/services\/Bad\/wrangler\.toml:1: name: .*Worker name/);
  });

  it('reports every broken file in one run', async () => {
    const dir = await fixture(ROOT, { a: { toml: 'name = 1' }, b: { toml: svc('b'), version: '1.0.0' }, c: { toml: '[' } });
    const lines = await issuesOf(loadFleet(dir));
    expect(lines.some((line) => line.startsWith('services/a/wrangler.toml'))).toBe(true);
    expect(lines.some((line) => line.startsWith('services/c/wrangler.toml'))).toBe(true);
  });
});

describe('fleet: fleet-wide checks', () => {
  it('refuses a route pattern declared by two services, naming both', async () => {
    const dir = await fixture(ROOT, { a: { toml: svc('a', 'routes = ["api.example.com/x*"]\n') }, b: { toml: svc('b', 'routes = [{ pattern = "api.example.com/x*", zone_name = "example.com" }]\n') } });
    const lines = await issuesOf(loadFleet(dir).then(checkFleet));
    expect(lines).toEqual([expect.stringMatching(/services\/b\/wrangler\.toml: routes\.0: route "api\.example\.com\/x\*" is already declared by service "a"/)]);
  });

  it('refuses an invalid route pattern and one outside its zone, naming the key', async () => {
    const dir = await fixture(`${ROOT}[gitops]\nzones = ["example.com"]\n`, {
      a: { toml: svc('a', 'routes = ["api.example.com/a*b"]\n') },
      b: { toml: svc('b', 'routes = [{ pattern = "api.other.org/*", zone_name = "example.com" }]\n') },
      c: { toml: svc('c', 'routes = ["shop.elsewhere.net/*"]\n') },
    });
    const lines = await issuesOf(loadFleet(dir).then(checkFleet));
    expect(lines).toEqual([
      expect.stringMatching(/^services\/a\/wrangler\.toml: routes\.0: .*\*/),
      expect.stringMatching(/^services\/b\/wrangler\.toml: routes\.0: .*zone "example\.com"/),
      expect.stringMatching(/^services\/c\/wrangler\.toml: routes\.0: route "shop\.elsewhere\.net\/\*" is in none of the fleet's zones/),
    ]);
  });

  it('refuses a queue consumed by two services, naming the second and the first', async () => {
    const consumer = '[[queues.consumers]]\nqueue = "jobs"\n';
    const dir = await fixture(ROOT, { a: { toml: svc('a', consumer) }, b: { toml: svc('b', consumer) } });
    expect(await issuesOf(loadFleet(dir).then(checkFleet))).toEqual([
      expect.stringMatching(/^services\/b\/wrangler\.toml: queues\.consumers\.0\.queue: queue "jobs" is already consumed by service "a" \(services\/a\/wrangler\.toml\)/),
    ]);
  });

  it('refuses a route two services declare with different scheme or host case', async () => {
    const dir = await fixture(ROOT, { a: { toml: svc('a', 'routes = ["https://API.example.com/x*"]\n') }, b: { toml: svc('b', 'routes = ["api.example.com/x*"]\n') } });
    expect(await issuesOf(loadFleet(dir).then(checkFleet))).toEqual([expect.stringMatching(/services\/b\/wrangler\.toml: routes\.0: route "api\.example\.com\/x\*" is already declared by service "a"/)]);
  });

  it('reads [gitops] through its schema: defaults when absent, file and key when invalid', async () => {
    const plain = await fixture(ROOT, { a: { toml: svc('a') } });
    expect((await loadFleet(plain)).root.gitops).toEqual({ owner: 'edgeops', prune: false, concurrency: 8 });
    const bad = await fixture(`${ROOT}[gitops]\nzones = "example.com"\n`, { a: { toml: svc('a') } });
    expect(await issuesOf(loadFleet(bad))).toEqual([expect.stringMatching(/^wrangler\.toml:\d+: gitops\.zones: expected array/)]);
  });

  it('refuses Durable Object migrations that do not apply, and a binding to a class no migration creates', async () => {
    const renamed = '[[migrations]]\ntag = "v1"\nrenamed_classes = [{ from = "Old", to = "New" }]\n';
    const unbound = '[[durable_objects.bindings]]\nname = "LIMITER"\nclass_name = "Limiter"\n[[migrations]]\ntag = "v1"\nnew_sqlite_classes = ["Other"]\n';
    const dir = await fixture(ROOT, { a: { toml: svc('a', renamed) }, b: { toml: svc('b', unbound) } });
    expect(await issuesOf(loadFleet(dir).then(checkFleet))).toEqual([
      expect.stringMatching(/^services\/a\/wrangler\.toml: migrations: Cannot apply renamed_classes migration to non-existent class Old/),
      expect.stringMatching(/^services\/b\/wrangler\.toml: durable_objects\.bindings\.0\.class_name: binding LIMITER names class Limiter, which no \[\[migrations\]\] step creates/),
    ]);
  });

  it('refuses a service binding to a service that is not in the fleet', async () => {
    const dir = await fixture(ROOT, { a: { toml: svc('a', '[[services]]\nbinding = "B"\nservice = "nope"\n') } });
    expect(await issuesOf(loadFleet(dir).then(checkFleet))).toEqual([expect.stringMatching(/services\.0\.service: binding B names service "nope"/)]);
  });

  it('refuses a version that is not semver, naming package.json and the key', async () => {
    const dir = await fixture(ROOT, { a: { toml: svc('a'), version: 'v1' } });
    expect(await issuesOf(loadFleet(dir).then(checkFleet))).toEqual([expect.stringMatching(/^services\/a\/package\.json: version: "v1" is not a semantic version/)]);
  });

  it('refuses a service whose name differs from its folder', async () => {
    const dir = await fixture(ROOT, { a: { toml: svc('other') } });
    expect(await issuesOf(loadFleet(dir).then(checkFleet))).toEqual([expect.stringMatching(/name: "other" must equal its folder name/)]);
  });
});

describe('fleet: bundling', () => {
  it('bundles a service with its imports into one ES module and hashes it stably', async () => {
    const dir = await fixture(ROOT, { a: { toml: svc('a'), source: 'import { greet } from "./greet.ts";\nexport default { fetch: () => new Response(greet()) };\n' } });
    await writeFile(join(dir, 'services/a/src/greet.ts'), 'export const greet = (): string => "hello";\n');
    const [service] = (await loadFleet(dir)).services;
    const first = await bundleService(service!);
    const second = await bundleService(service!);
    expect(first.mainModule).toBe('index.js');
    expect(new TextDecoder().decode(first.modules[0]!.contents)).toContain('"hello"');
    expect(second.hash).toBe(first.hash);
  });

  it('serves an unchanged service from the cache and rebuilds when an input changes', async () => {
    const dir = await fixture(ROOT, { a: { toml: svc('a'), source: 'import { greet } from "./greet.ts";\nexport default { fetch: () => new Response(greet()) };\n' } });
    await writeFile(join(dir, 'services/a/src/greet.ts'), 'export const greet = (): string => "hello";\n');
    const cacheDir = join(dir, '.cache');
    const [service] = (await loadFleet(dir)).services;
    const built = await bundleService(service!, { cacheDir });
    const cacheFile = join(cacheDir, 'a.json');
    const cached = await readFile(cacheFile, 'utf8');
    expect((await bundleService(service!, { cacheDir })).hash).toBe(built.hash);
    expect(await readFile(cacheFile, 'utf8')).toBe(cached);
    await writeFile(join(dir, 'services/a/src/greet.ts'), 'export const greet = (): string => "changed";\n');
    const rebuilt = await bundleService(service!, { cacheDir });
    expect(rebuilt.hash).not.toBe(built.hash);
    expect(new TextDecoder().decode(rebuilt.modules[0]!.contents)).toContain('"changed"');
  });
});
