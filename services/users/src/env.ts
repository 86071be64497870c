export interface Env {
  USERS: KVNamespace;
}
