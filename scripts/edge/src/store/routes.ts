/** A zone route: a URL pattern and the script it sends to (none: the route negates). */
export interface RouteRecord {
  id: string;
  zoneId: string;
  pattern: string;
  script?: string;
}
