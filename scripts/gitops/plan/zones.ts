import type { ObservedZone } from '../state/observed.ts';

/** The host part of a route pattern: no scheme, no path, no leading `*` / `*.` wildcard. */
export function patternHost(pattern: string): string {
  const withoutScheme = pattern.replace(/^[a-z]+:\/\//i, '');
  const host = withoutScheme.split('/')[0] ?? '';
  return host.replace(/^\*\.?/, '').replace(/:\d+$/, '').toLowerCase();
}

/** The account zone a host belongs to (longest matching zone name), if any. */
export function zoneForHost(host: string, zones: ObservedZone[]): ObservedZone | undefined {
  let best: ObservedZone | undefined;
  for (const zone of zones) {
    const name = zone.name.toLowerCase();
    if (host === name || host.endsWith(`.${name}`)) {
      if (!best || name.length > best.name.length) best = zone;
    }
  }
  return best;
}
