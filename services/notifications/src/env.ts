export interface Env {
  NOTIFICATIONS: KVNamespace;
  RETENTION_DAYS: string;
}
