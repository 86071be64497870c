import { describeKind, symbolOf } from '../plan/action-kinds.ts';
import { actionService, type Action } from '../plan/action.ts';
import { hasChanges, planActions, type Plan, type ServiceStatus } from '../plan/plan.ts';

const STATUS_ORDER: ServiceStatus[] = ['create', 'update', 'deploy', 'delete', 'unchanged'];
const NOT_PRUNED = ' (not applied: pass --prune or set [gitops] prune = true)';

function actionLine(action: Action, skipped: boolean): string {
  return `    ${symbolOf(action)} ${describeKind(action)}\n        ${action.reason}${skipped ? NOT_PRUNED : ''}`;
}

/** Managed scripts git no longer declares: listed always, removed only with prune. */
function orphans(plan: Plan): string[] {
  return plan.services.filter((service) => service.status === 'delete').map((service) => service.service);
}

/** Counts of services per status, e.g. `1 to create, 2 to update, 0 to deploy, 0 to delete, 3 unchanged`. */
export function summaryLine(plan: Plan): string {
  if (plan.errors.length > 0) return `Plan failed: ${plan.errors.length} error${plan.errors.length === 1 ? '' : 's'}; nothing will be applied.`;
  const count = (status: ServiceStatus) => plan.services.filter((service) => service.status === status).length;
  const actions = planActions(plan).length;
  const orphaned = orphans(plan);
  const skipped =
    plan.skipped.length > 0
      ? ` ${plan.skipped.length} removal${plan.skipped.length === 1 ? '' : 's'} not applied without --prune` +
        `${!plan.prune && orphaned.length > 0 ? ` (orphan${orphaned.length === 1 ? '' : 's'} git no longer declares: ${orphaned.join(', ')})` : ''}.`
      : '';
  if (!hasChanges(plan)) return `No changes: the account matches git (${count('unchanged')} services unchanged).${skipped}`;
  return (
    `Plan: ${count('create')} to create, ${count('update')} to update, ${count('deploy')} to deploy, ` +
    `${plan.prune ? count('delete') : 0} to delete, ${count('unchanged')} unchanged (${actions} actions).${skipped}`
  );
}

/** The terraform-style plan: one block per service with its actions and their reasons, account-level actions, then a summary. */
export function renderPlan(plan: Plan): string {
  const lines: string[] = [`Plan for target ${plan.target} (account ${plan.accountId}, owner tag "${plan.owner}")`, ''];
  const actions = planActions(plan);
  const services = [...plan.services].sort(
    (a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) || a.service.localeCompare(b.service),
  );
  const account = actions.filter((action) => actionService(action) === undefined);
  if (account.length > 0) {
    lines.push('  (account)');
    for (const action of account) lines.push(actionLine(action, false));
  }
  for (const service of services) {
    const own = actions.filter((action) => actionService(action) === service.service);
    const skipped = plan.skipped.filter((action) => actionService(action) === service.service);
    const versions =
      service.status === 'delete'
        ? `${service.deployed ?? '-'} (orphan: not in git)`
        : service.deployed && service.deployed !== service.tag
          ? `${service.deployed} → ${service.tag ?? service.declared}`
          : (service.tag ?? service.declared ?? '-');
    lines.push(`  ${service.service}  ${versions}  ${service.status}`);
    if (service.rollout) lines.push(`    rollout: ${service.rollout.text}`);
    for (const action of own) lines.push(actionLine(action, false));
    for (const action of skipped) lines.push(actionLine(action, true));
  }
  const listed = new Set(plan.services.map((service) => service.service));
  const unlisted = [...actions, ...plan.skipped].filter((action) => {
    const service = actionService(action);
    return service !== undefined && !listed.has(service);
  });
  for (const action of unlisted) lines.push(`  ${actionService(action) ?? ''}\n${actionLine(action, plan.skipped.includes(action))}`);
  if (plan.errors.length > 0) {
    lines.push('', 'Errors:');
    for (const error of plan.errors) {
      const where = error.file ? `${error.file}${error.key ? `: ${error.key}` : ''}: ` : '';
      lines.push(`  ✗ ${error.service ? `${error.service}: ` : ''}${where}${error.message}`);
    }
  }
  lines.push('', summaryLine(plan));
  return lines.join('\n');
}
