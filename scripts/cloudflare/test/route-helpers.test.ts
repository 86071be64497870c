import { describe, expect, it } from 'vitest';
import { validateCustomDomain } from '../custom-domain.ts';
import { parseRoutePattern, routeKey, zoneOfRoute } from '../route-pattern.ts';

describe('route patterns: zones, collisions, custom domains', () => {
  it('finds the zone a route lies in: the zone itself or a subdomain, never a look-alike', () => {
    const zones = ['example.com', 'shop.io'];
    expect(zoneOfRoute(parseRoutePattern('api.example.com/*'), zones)).toBe('example.com');
    expect(zoneOfRoute(parseRoutePattern('*.shop.io/x*'), zones)).toBe('shop.io');
    expect(zoneOfRoute(parseRoutePattern('https://EXAMPLE.com/'), zones)).toBe('example.com');
    expect(zoneOfRoute(parseRoutePattern('notexample.com/*'), zones)).toBeUndefined();
    expect(zoneOfRoute(parseRoutePattern('a.shop.example.com/*'), ['example.com', 'shop.example.com'])).toBe('shop.example.com');
  });

  it('two patterns collide when they differ only in scheme or host case', () => {
    expect(routeKey('https://API.example.com/x*')).toBe(routeKey('api.example.com/x*'));
    expect(routeKey('api.example.com')).toBe(routeKey('api.example.com/'));
    expect(routeKey('api.example.com/X*')).not.toBe(routeKey('api.example.com/x*'));
    expect(routeKey('bad pattern')).toBe('bad pattern');
  });

  it('a custom domain is a bare hostname', () => {
    expect(validateCustomDomain('Shop.Example.com')).toEqual({ ok: true, hostname: 'shop.example.com' });
    for (const bad of ['shop.example.com/*', '*.example.com', 'https://shop.example.com', 'localhost', 'shop-.example.com']) {
      const result = validateCustomDomain(bad);
      expect(result.ok, bad).toBe(false);
    }
  });
});
