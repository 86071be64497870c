import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareSpecificity,
  compileRouteTable,
  findRoute,
  formatRoutePattern,
  parseRoutePattern,
  requestTargetOf,
  routeMatches,
  validateRoutePattern,
  type RouteDeclaration,
} from '../index.ts';

function matches(pattern: string, url: string): boolean {
  return routeMatches(parseRoutePattern(pattern), requestTargetOf(new URL(url)));
}

function winner(declarations: RouteDeclaration[], url: string): RouteDeclaration | undefined {
  const found = findRoute(compileRouteTable(declarations), requestTargetOf(new URL(url)));
  if (!found) return undefined;
  return declarations.find((declaration) => parseRoutePattern(declaration.pattern).source === found.route.source);
}

/** The pattern that wins `url` between two routes (each named by its pattern), the same in either order. */
function winnerOfTwo(pattern: string, other: string, url: string): string | undefined {
  const routes = [
    { pattern, script: pattern },
    { pattern: other, script: other },
  ];
  const found = winner(routes, url)?.script;
  expect(winner([...routes].reverse(), url)?.script).toBe(found);
  return found;
}

// Every example of https://developers.cloudflare.com/workers/configuration/routing/routes/
describe('routing: matching examples from the Routes page', () => {
  const table: [pattern: string, url: string, expected: boolean][] = [
    // "Matching behavior": https subhosts of example.com with paths prefixed by /images/
    ['https://*.example.com/images/*', 'https://www.example.com/images/cat.png', true],
    ['https://*.example.com/images/*', 'http://www.example.com/images/cat.png', false],
    ['https://*.example.com/images/*', 'https://example.com/images/cat.png', false],
    ['https://*.example.com/images/*', 'https://www.example.com/videos/cat.mp4', false],
    // "A pattern to match all requests"
    ['*example.com/*', 'http://example.com/', true],
    ['*example.com/*', 'https://www.example.com/any/path?with=query', true],
    // Path is case sensitive: example.com/Images/* and example.com/images/* are distinct
    ['example.com/Images/*', 'https://example.com/Images/a.png', true],
    ['example.com/Images/*', 'https://example.com/images/a.png', false],
    ['example.com/images/*', 'https://example.com/Images/a.png', false],
    // Host is not case sensitive (routes created on or after October 15th, 2023)
    ['Example.com/*', 'https://example.com/', true],
    ['example.com/*', 'https://EXAMPLE.com/', true],
    // Query string is part of the URL: only a trailing * matches URLs with a query
    ['*example.com/images/cat.png', 'https://example.com/images/cat.png?foo=bar', false],
    ['*example.com/images/*', 'https://example.com/images/cat.png?foo=bar', true],
    // "Route patterns must include your zone": `example.com` matches http(s)://example.com/ and nothing else
    ['example.com', 'http://example.com/', true],
    ['example.com', 'https://example.com/', true],
    ['example.com', 'https://example.com/a', false],
    ['example.com', 'https://www.example.com/', false],
    ['example.com', 'https://example.com/?q=1', false],
    // "Route patterns may optionally begin with http:// or https://"
    ['https://*.example.com/', 'https://www.example.com/', true],
    ['https://*.example.com/', 'http://www.example.com/', false],
    ['*.example.com/', 'https://www.example.com/', true],
    ['*.example.com/', 'http://www.example.com/', true],
    // "Hostnames may optionally begin with *"
    ['*example.com/', 'https://example.com/', true],
    ['*example.com/', 'https://www.example.com/', true],
    ['*.example.com/', 'https://www.example.com/', true],
    ['*.example.com/', 'https://example.com/', false],
    // The table comparing *example.com/* and *.example.com/*
    ['*example.com/*', 'https://example.com/', true],
    ['*.example.com/*', 'https://example.com/', false],
    ['*example.com/*', 'https://www.example.com/path', true],
    ['*.example.com/*', 'https://www.example.com/path', true],
    ['*example.com/*', 'https://myexample.com/', true],
    ['*.example.com/*', 'https://myexample.com/', false],
    ['*example.com/*', 'https://not-example.com/', false],
    ['*.example.com/*', 'https://not-example.com/', false],
    // "Paths may optionally end with *"
    ['https://example.com/path*', 'https://example.com/path', true],
    ['https://example.com/path*', 'https://example.com/path2', true],
    ['https://example.com/path*', 'https://example.com/path/readme.txt', true],
    // Ports play no part in matching
    ['example.com/*', 'https://example.com:8787/a', true],
  ];
  it.each(table)('routing: %s against %s matches: %s', (pattern, url, expected) => {
    expect(matches(pattern, url)).toBe(expected);
  });

  // "When more than one route pattern could match a request URL, the most specific route pattern wins."
  it.each([
    ['www.example.com/*', '*.example.com/*', 'https://www.example.com/'],
    ['example.com/hello/*', 'example.com/*', 'https://example.com/hello/world'],
    ['example.com/*', 'example.com/hello/*', 'https://example.com/other'],
  ])('routing: %s wins over %s for %s', (pattern, other, url) => {
    expect(winnerOfTwo(pattern, other, url)).toBe(pattern);
  });

  // "A route can be specified without being associated with a Worker. This will act to negate any less specific patterns."
  describe('routing: a route with no script negates less specific patterns', () => {
    const routes = [
      { pattern: '*example.com/images/cat.png' },
      { pattern: '*example.com/images/*', script: 'worker-script' },
    ];
    it.each([
      ['https://example.com/images/dog.png', 'worker-script'],
      ['https://www.example.com/images/a/b.png', 'worker-script'],
      ['https://example.com/images/cat.png', undefined],
      ['https://example.com/images/cat.png?foo=bar', 'worker-script'],
    ])('routing: %s goes to %s', (url, script) => {
      const found = winner(routes, url);
      expect(found).toBeDefined();
      expect(found?.script).toBe(script);
    });
  });
});

// "Route specificity" in https://developers.cloudflare.com/workers/platform/known-issues/
describe('routing: route specificity examples from the Known issues page', () => {
  const trailing = [
    { pattern: 'example.com/images/*', script: 'A' },
    { pattern: 'example.com/images*', script: 'B' },
  ];
  it.each(['https://example.com/images', 'https://example.com/images123', 'https://example.com/images/hello'])(
    'routing: %s resolves to B (example.com/images*), trailing /* quirk included',
    (url) => {
      expect(winner(trailing, url)?.script).toBe('B');
      expect(winner([...trailing].reverse(), url)?.script).toBe('B');
    },
  );
  it('routing: a.example.com/* wins over *.example.com/a for a.example.com/a', () => {
    expect(winnerOfTwo('a.example.com/*', '*.example.com/a', 'https://a.example.com/a')).toBe('a.example.com/*');
  });
});

// "Validity" on https://developers.cloudflare.com/workers/configuration/routing/routes/
describe('routing: validateRoutePattern', () => {
  it.each([
    ['example.com/*.jpg', 'only allowed at the start of the host and the end of the path'],
    ['example.com/?foo=*', 'query string'],
    ['https://example.com/?anything', 'query string'],
    ['', 'empty'],
    ['   ', 'empty'],
    ['ex*ample.com/*', 'only allowed at the start of the host'],
    ['example.*/*', 'only allowed at the start of the host'],
    ['example.com*', 'only allowed at the start of the host'],
    ['ftp://example.com/*', 'http:// or https://'],
    ['example.com:8080/*', 'port'],
    ['exa mple.com/*', 'whitespace'],
    ['/*', 'no host'],
  ])('routing: rejects %j (%s)', (pattern, reason) => {
    const result = validateRoutePattern(pattern);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toContain(reason);
      expect(result.error).toContain(`"${pattern}"`);
    }
  });
  it.each([
    ['example.com', 'example.com'],
    ['example.com/*', 'example.com'],
    ['*example.com/*', 'example.com'],
    ['https://*.example.com/images/*', 'example.com'],
    ['api.Example.com/v1/*', 'example.com'],
    ['http://shop.example.com/path*', 'EXAMPLE.com'],
  ])('routing: accepts %s in zone %s', (pattern, zone) => {
    expect(validateRoutePattern(pattern, zone).ok).toBe(true);
  });
  it.each([
    ['example.org/*', 'example.com'],
    ['*ample.com/*', 'example.com'],
    ['notexample.com/*', 'example.com'],
  ])('routing: rejects %s outside its zone %s', (pattern, zone) => {
    const result = validateRoutePattern(pattern, zone);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(`zone "${zone}"`);
  });
});

// ---- properties ----

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/);
const hostArb = fc.array(label, { minLength: 1, maxLength: 3 }).map((labels) => [...labels, 'example', 'com'].join('.'));
const segment = fc.stringMatching(/^[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,7}$/);
const pathArb = fc.array(segment, { minLength: 0, maxLength: 4 }).map((segments) => `/${segments.join('/')}`);
const queryArb = fc.option(fc.stringMatching(/^[a-z]{1,4}=[a-z0-9]{0,4}$/), { nil: undefined });
const schemeArb = fc.constantFrom('http' as const, 'https' as const);
/** URLs without a query string: route patterns cannot contain one, so these have an exact pattern. */
const urlArb = fc
  .record({ scheme: schemeArb, host: hostArb, path: pathArb })
  .map(({ scheme, host, path }) => new URL(`${scheme}://${host}${path}`));

/** Patterns derived from a URL, from most literal to most general; each one matches the URL. */
function generalisations(url: URL): string[] {
  const host = url.hostname;
  const parent = host.split('.').slice(1).join('.');
  const hosts = [host, `*.${parent}`, `*${host}`];
  const paths = [url.pathname, `${url.pathname}*`, '/*'];
  return hosts.flatMap((h) => paths.map((p) => `${h}${p}`));
}

describe('routing: properties', () => {
  it('routing: a pattern always matches the URL it was built from (exact or generalised)', () => {
    fc.assert(
      fc.property(urlArb, (url) => {
        for (const pattern of generalisations(url)) expect(matches(pattern, url.href)).toBe(true);
        expect(matches(`${url.protocol}//${url.host}${url.pathname}`, url.href)).toBe(true);
      }),
    );
  });

  it('routing: a URL with a query string only matches patterns ending in a wildcard', () => {
    fc.assert(
      fc.property(urlArb, queryArb.filter((query) => query !== undefined), (url, query) => {
        const withQuery = new URL(`${url.href}?${query}`);
        for (const pattern of generalisations(url)) {
          expect(matches(pattern, withQuery.href)).toBe(pattern.endsWith('*'));
        }
      }),
    );
  });

  it('routing: the exact pattern of a URL wins over every less specific pattern that overlaps it', () => {
    fc.assert(
      fc.property(urlArb, fc.subarray([1, 2, 3, 4, 5, 6, 7, 8], { minLength: 1 }), fc.nat(), (url, picks, seed) => {
        const general = generalisations(url);
        const routes: RouteDeclaration[] = [...new Set(picks.map((index) => general[index] ?? ''))]
          .filter((pattern) => pattern !== general[0])
          .map((pattern) => ({ pattern, script: `general:${pattern}` }));
        routes.push({ pattern: general[0] ?? '', script: 'exact' });
        const shuffled = fc.sample(fc.shuffledSubarray(routes, { minLength: routes.length }), { numRuns: 1, seed })[0] ?? routes;
        expect(winner(shuffled, url.href)?.script).toBe('exact');
      }),
    );
  });

  it('routing: the winner does not depend on the order routes are declared in', () => {
    fc.assert(
      fc.property(urlArb, fc.array(fc.nat(8), { minLength: 2, maxLength: 9 }), fc.nat(), (url, picks, seed) => {
        const general = generalisations(url);
        const routes = [...new Set(picks.map((index) => general[index] ?? ''))].map((pattern) => ({ pattern, script: pattern }));
        const shuffled = fc.sample(fc.shuffledSubarray(routes, { minLength: routes.length }), { numRuns: 1, seed })[0] ?? routes;
        expect(winner(shuffled, url.href)?.script).toBe(winner(routes, url.href)?.script);
      }),
    );
  });

  it('routing: an exact host beats any wildcard host, whatever the paths', () => {
    fc.assert(
      fc.property(urlArb, fc.constantFrom('/*', ''), fc.constantFrom('*.', '*'), (url, exactPath, wildcard) => {
        const parent = url.hostname.split('.').slice(1).join('.');
        const wildHost = wildcard === '*.' ? `*.${parent}` : `*${url.hostname}`;
        const routes = [
          { pattern: `${wildHost}${url.pathname}`, script: 'wildcard-host' },
          { pattern: `${url.hostname}${exactPath === '' ? url.pathname : '/*'}`, script: 'exact-host' },
        ];
        expect(winner(routes, url.href)?.script).toBe('exact-host');
      }),
    );
  });

  it('routing: a longer path prefix beats a shorter one on the same host', () => {
    fc.assert(
      fc.property(hostArb, fc.array(segment, { minLength: 2, maxLength: 5 }), fc.nat(), (host, segments, cut) => {
        const short = `/${segments.slice(0, 1 + (cut % (segments.length - 1))).join('/')}`;
        const long = `/${segments.join('/')}`;
        const routes = [
          { pattern: `${host}${short}/*`, script: 'short' },
          { pattern: `${host}${long}/*`, script: 'long' },
        ];
        expect(winner(routes, `https://${host}${long}/x`)?.script).toBe('long');
        expect(compareSpecificity(parseRoutePattern(routes[1]?.pattern ?? ''), parseRoutePattern(routes[0]?.pattern ?? ''))).toBeLessThan(0);
      }),
    );
  });

  it('routing: a wildcard placed anywhere but the host start or path end is rejected', () => {
    fc.assert(
      fc.property(hostArb, pathArb, fc.nat(), (host, path, at) => {
        const middle = `${host}${path}x`;
        const index = 1 + (at % (middle.length - 1));
        const pattern = `${middle.slice(0, index)}*${middle.slice(index)}`;
        expect(validateRoutePattern(pattern).ok).toBe(false);
      }),
    );
  });

  it('routing: formatting a parsed pattern and parsing it again gives the same pattern', () => {
    fc.assert(
      fc.property(urlArb, (url) => {
        for (const pattern of generalisations(url)) {
          const parsed = parseRoutePattern(pattern);
          const { source: _source, ...again } = parseRoutePattern(formatRoutePattern(parsed));
          const { source: _original, ...rest } = parsed;
          expect(again).toEqual(rest);
        }
      }),
    );
  });
});
