import { describe, expect, it } from 'vitest';
import type { Fleet } from '../load.ts';
import { routeUrlLines } from '../route-urls.ts';

function fleetWith(routes: NonNullable<Fleet['services'][number]['config']['routes']>): Fleet {
  const config = { name: 'shop', main: 'src/index.ts', compatibility_date: '2026-01-01', routes };
  return { rootDir: '/r', rootConfigPath: '/r/wrangler.toml', root: { compatibility_date: '2026-01-01', gitops: { owner: 'edgeops', prune: false, concurrency: 8 } }, services: [{ name: 'shop', dir: '/r/services/shop', configPath: '', packageJsonPath: '', version: '1.0.0', config, packageJson: {} }] };
}

describe('fleet: route URLs printed for a local listener', () => {
  it('gives each route a request it matches: a concrete host for a subdomain wildcard, the literal path, the custom domain\'s root', () => {
    const lines = routeUrlLines(fleetWith(['https://*.example.com/shop*', '*example.org/', 'API.example.net/v1/shop*', { pattern: 'shop.example.com', custom_domain: true }]), 'http://127.0.0.1:8788');
    expect(lines.map((line) => line.slice(line.indexOf('curl')))).toEqual([
      "curl -H 'Host: www.example.com' http://127.0.0.1:8788/shop",
      "curl -H 'Host: example.org' http://127.0.0.1:8788/",
      "curl -H 'Host: api.example.net' http://127.0.0.1:8788/v1/shop",
      "curl -H 'Host: shop.example.com' http://127.0.0.1:8788/",
    ]);
  });
});
