/**
 * The reason (and prune flag) of an action that deletes what `service` set up and git no longer
 * declares: when the service itself left git, the deletion is a prune (executed only with
 * `--prune`); when only the thing left, the service's own change removes it.
 */
export function noLongerDeclared(service: string, declaredServices: ReadonlySet<string>): { reason: string; prune?: true } {
  return declaredServices.has(service) ? { reason: 'no longer declared in git' } : { reason: `service "${service}" is no longer declared in git`, prune: true };
}
