export interface Env {
  CRON_SAMPLE: KVNamespace;
  // @bind fields
}
