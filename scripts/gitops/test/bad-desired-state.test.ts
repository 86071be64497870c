import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitops } from './support/cli.ts';
import { closedPort } from './support/ports.ts';
import { startTestEdge, type TestEdge } from './support/edge.ts';
import { createFixtureFleet, writeService, type FixtureService } from '../synthetic/fleet.ts';

let edge: TestEdge;

beforeAll(async () => {
  edge = await startTestEdge();
});
afterAll(async () => {
  await edge?.cleanup();
});

interface BadCase {
  name: string;
  services: FixtureService[];
  /** Break the fleet after writing it. */
  tamper?: (rootDir: string) => Promise<void>;
  /** What the error must say (file and key). */
  says: RegExp;
}

const ok = (name: string, extra: Partial<FixtureService> = {}): FixtureService => ({ name, routes: [`example.com/bad/${name}*`], ...extra });

const cases: BadCase[] = [
  {
    name: 'broken TOML',
    services: [ok('users')],
    tamper: (rootDir) => writeFile(join(rootDir, 'services', 'users', 'wrangler.toml'), 'name = "users"\nmain = "src/index.js\n'),
    says: /services\/users\/wrangler\.toml/,
  },
  {
    name: 'a route declared by two services',
    services: [ok('users'), ok('orders', { routes: ['example.com/bad/users*'] })],
    says: /services\/(users|orders)\/wrangler\.toml: routes\.0: route "example\.com\/bad\/users\*" is already declared by service "(users|orders)"/,
  },
  {
    name: 'a binding to an unknown service',
    services: [ok('orders', { bindings: { USERS: 'nobody' } })],
    says: /services\/orders\/wrangler\.toml: services\.0\.service: binding USERS names service "nobody", which is not in the fleet/,
  },
  {
    name: 'an invalid service name',
    services: [ok('Users_Bad')],
    says: /services\/Users_Bad\/wrangler\.toml(:\d+)?: name: .*lowercase/,
  },
  {
    name: 'an invalid route pattern',
    services: [ok('users', { routes: ['example.com:8080/users?x=1'] })],
    says: /services\/users\/wrangler\.toml: routes\.0: Invalid route pattern "example\.com:8080\/users\?x=1": a route pattern may not name a port/,
  },
  {
    name: 'a queue consumed by two services',
    services: [ok('mailer', { consumes: ['jobs'] }), ok('audit', { consumes: ['jobs'] })],
    says: /services\/(mailer|audit)\/wrangler\.toml: queues\.consumers\.0\.queue: queue "jobs" is already consumed by service "(mailer|audit)"/,
  },
  {
    name: 'a [gitops] setting out of range',
    services: [ok('users')],
    tamper: (rootDir) => writeFile(join(rootDir, 'wrangler.toml'), 'compatibility_date = "2025-01-01"\n\n[gitops]\nconcurrency = 0\n'),
    says: /✗ wrangler\.toml(:\d+)?: gitops\.concurrency: /,
  },
  {
    name: 'a version that is not semver',
    services: [ok('users', { version: 'v1' })],
    says: /services\/users\/package\.json: version: "v1" is not a semantic version/,
  },
  {
    name: 'an unknown key in the package.json edgeops settings',
    services: [ok('users', { edgeops: { secret: ['TYPO'] } })],
    says: /services\/users\/package\.json: edgeops: .*secret/,
  },
  {
    name: 'a gradual rollout above 100%',
    services: [ok('users', { edgeops: { rollout: { stable: '0.9.0', percentage: 120 } } })],
    says: /services\/users\/package\.json: edgeops\.rollout\.percentage: a percentage below 100/,
  },
];

describe('reconciler: bad desired state stops before any API call', () => {
  for (const badCase of cases) {
    it(`config: ${badCase.name} is reported with its file and key, and nothing is called`, async () => {
      const rootDir = await createFixtureFleet([]);
      for (const service of badCase.services) await writeService(rootDir, service);
      await badCase.tamper?.(rootDir);
      edge.edge.faults.clearLog();
      for (const command of ['plan', 'apply']) {
        const run = await gitops(rootDir, [command, '--yes'].slice(0, command === 'apply' ? 2 : 1), edge);
        expect(run.code).toBe(1);
        expect(run.err).toMatch(/^Configuration error, nothing was called:/);
        expect(run.err).toMatch(badCase.says);
      }
      expect(edge.edge.faults.log()).toEqual([]);
    });
  }

  it('target: cloudflare without a token or account is a clear error before any call', async () => {
    const rootDir = await createFixtureFleet([ok('users')]);
    edge.edge.faults.clearLog();
    const run = await gitops(rootDir, ['plan', '--target', 'cloudflare'], edge, { CLOUDFLARE_API_TOKEN: '', CLOUDFLARE_ACCOUNT_ID: '', CLOUDFLARE_API_BASE_URL: edge.endpoint.apiUrl });
    expect(run.code).toBe(1);
    expect(run.err).toContain('target cloudflare needs CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID in the environment');
    expect(edge.edge.faults.log()).toEqual([]);
  });

  it('target: local with an endpoint.json that is not the edge\'s says which file and what is wrong', async () => {
    const rootDir = await createFixtureFleet([ok('users')]);
    await mkdir(join(rootDir, '.edge'), { recursive: true });
    await writeFile(join(rootDir, '.edge', 'endpoint.json'), JSON.stringify({ apiUrl: 'not a url', accountId: 'a' }));
    const out: string[] = [];
    const { runCli } = await import('../main.ts');
    const code = await runCli(['plan', '--root', rootDir], { output: { out: (text) => out.push(text), err: (text) => out.push(text) } });
    expect(code).toBe(1);
    expect(out.join('\n')).toMatch(/\.edge\/endpoint\.json: expected \{apiUrl, url, accountId, token\} .*apiUrl: .*token: /);
  });

  it('target: local without a running edge says how to start it', async () => {
    const rootDir = await createFixtureFleet([ok('users')]);
    const out: string[] = [];
    const { runCli } = await import('../main.ts');
    const code = await runCli(['plan', '--root', rootDir], { output: { out: (text) => out.push(text), err: (text) => out.push(text) } });
    expect(code).toBe(1);
    expect(out.join('\n')).toContain('the local edge is not running: start it with `npm start` or `npm run edge`');
    expect(out.join('\n')).toMatch(/\.edge\/endpoint\.json not found; plan, apply and status on target local talk to it/);
  });

  it('target: local with an endpoint.json left behind by a stopped edge fails at once, saying how to start it', async () => {
    const rootDir = await createFixtureFleet([ok('users')]);
    const closed = await closedPort();
    const endpointFile = join(rootDir, 'endpoint.json');
    await writeFile(endpointFile, JSON.stringify({ apiUrl: `http://127.0.0.1:${closed}/client/v4`, url: `http://127.0.0.1:${closed}`, accountId: 'acc', token: 'token-SECRET' }));
    const run = await gitops(rootDir, ['plan'], edge, {}, endpointFile);
    expect(run.code).toBe(1);
    expect(run.err).toContain('Error: the local edge is not running: start it with `npm start` or `npm run edge`');
    expect(run.err).toContain(`connection to http://127.0.0.1:${closed} refused`);
    expect(run.err).not.toContain('token-SECRET');
  });
});

