import type { Action, ActionKind, ActionOf, DeploymentTarget } from '../plan/action.ts';

const versions = (targets: DeploymentTarget[]) =>
  targets.map((target) => `${target.version.tag ?? (target.version.kind === 'existing' ? target.version.id.slice(0, 8) : '?')} ${target.percentage}%`).join(', ');

/** What each action does, in words (its reason says why). */
const DESCRIBE: { [K in ActionKind]: (action: ActionOf<K>) => string } = {
  'create-script': (action) => `create script, version ${action.tag}${action.secrets.length ? ` with secret ${action.secrets.join(', ')}` : ''}`,
  'upload-version': (action) => `upload version ${action.tag}${action.secrets.length ? ` with secret ${action.secrets.join(', ')}` : ''}`,
  deploy: (action) => `deploy ${versions(action.versions)}`,
  'update-settings': (action) => `set tags ${action.tags.join(', ')}`,
  'put-schedules': (action) => (action.crons.length ? `set cron triggers ${action.crons.join(', ')}` : 'clear cron triggers'),
  'create-route': (action) => `add route ${action.pattern} (zone ${action.zoneName})`,
  'update-route': (action) => `point route ${action.pattern} here (zone ${action.zoneName})`,
  'delete-route': (action) => `remove route ${action.pattern} (zone ${action.zoneName})`,
  'attach-domain': (action) => `attach custom domain ${action.hostname}`,
  'detach-domain': (action) => `detach custom domain ${action.hostname}`,
  'create-queue': (action) => `create queue ${action.queue}`,
  'create-kv-namespace': (action) => `create KV namespace ${action.title} (never deleted by edgeops: it holds data)`,
  'create-d1-database': (action) => `create D1 database ${action.database} (never deleted by edgeops: it holds data)`,
  'put-queue-consumer': (action) => `${action.consumerId ? 'update' : 'register'} as consumer of queue ${action.queue}`,
  'delete-queue-consumer': (action) => `stop consuming queue ${action.queue}`,
  'delete-script': () => 'delete script',
};

export function describeKind(action: Action): string {
  return (DESCRIBE[action.kind] as (action: Action) => string)(action);
}

export function describeAction(action: Action): string {
  return `${action.service}: ${describeKind(action)}`;
}
