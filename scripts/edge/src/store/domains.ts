/** A custom domain: a whole hostname attached to a script. */
export interface DomainRecord {
  id: string;
  hostname: string;
  service: string;
  environment: string;
  zoneId: string;
  zoneName: string;
}
