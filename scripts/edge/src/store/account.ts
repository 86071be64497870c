/** The one account the edge hosts, created once per state directory. */
export interface AccountRecord {
  id: string;
  name: string;
  /** The bearer token clients must send; generated once, also written to endpoint.json. */
  token: string;
  /** workers.dev subdomain: `<script>.<subdomain>.workers.dev`. */
  subdomain: string;
  createdOn: string;
}
