/**
 * The account-wide name of a KV namespace or D1 database a binding declares without an id, as
 * wrangler 4's automatic resource provisioning names it (`wrangler deploy` without `id` /
 * `database_id`), so the reconciler and wrangler find the same resource:
 * - KV namespace: no name in the config, so `<worker name>-<binding lower-cased, "_" → "-">`
 *   (wrangler's non-interactive default title), e.g. `users` + `USER_CACHE` → `users-user-cache`;
 * - D1 database: its `database_name`.
 */
export function kvNamespaceTitle(workerName: string, binding: string): string {
  return `${workerName}-${binding.toLowerCase().replaceAll('_', '-')}`;
}

export function d1DatabaseName(database: { database_name: string }): string {
  return database.database_name;
}
