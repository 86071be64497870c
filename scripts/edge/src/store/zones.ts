/** A zone (domain) the edge hosts; routes and custom domains must fall inside one. */
export interface ZoneRecord {
  id: string;
  name: string;
  createdOn: string;
}

/** The zone whose name equals `hostname` or is its closest parent domain. */
export function zoneForHostname(zones: readonly ZoneRecord[], hostname: string): ZoneRecord | undefined {
  const host = hostname.toLowerCase();
  return zones
    .filter((zone) => host === zone.name || host.endsWith(`.${zone.name}`))
    .sort((a, b) => b.name.length - a.name.length)[0];
}
