export interface Env {
  HTTP_SAMPLE: KVNamespace;
  // @bind fields
}
