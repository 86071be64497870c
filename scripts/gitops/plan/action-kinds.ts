import type { Action, ActionKind, ActionOf, DeploymentTarget } from './action.ts';
import { describeMigrations } from './durable-objects.ts';

/**
 * The action registry: one entry per action kind, holding where it runs (phase), how the plan
 * names it (verb and symbol, a one-line description, what it acts on), and whether its phase is
 * split by service-binding depth. Plan text, `--json` readers, apply's progress lines, the PR
 * comment (github/plan-input.ts) and docs/gitops.md's action table all read it. A new kind is one
 * entry here, its schema in plan/action.ts, its executor (apply/executors.ts) and its planner.
 *
 * Phases run in this order: create missing account resources first (queues, KV namespaces, D1 databases: the
 * uploads' bindings need them) → D1 migrations (the new code needs its schema) → scripts and versions (binding targets first) → deployments →
 * settings and triggers → new routes and domains → removed routes and domains → removed scripts.
 */
export const PHASES = ['resources', 'migrations', 'versions', 'deployments', 'settings', 'routes', 'removals', 'scripts-removal'] as const;
export type Phase = (typeof PHASES)[number];

/** How a change reads: `+` create, `~` update, `>` deploy, `-` delete. */
export type Verb = 'create' | 'update' | 'deploy' | 'delete';
export const VERB_SYMBOLS: Record<Verb, string> = { create: '+', update: '~', deploy: '>', delete: '-' };

export interface ActionKindDefinition<K extends ActionKind> {
  phase: Phase;
  verb: Verb;
  /** Actions of this phase are further split by service-binding depth (targets first). */
  byDependencyLevel: boolean;
  /** What the kind does, for the docs' action table. */
  description: string;
  /** What one action does, in words (its `reason` says why), e.g. `add route api.example.com/* (zone example.com)`. */
  describe: (action: ActionOf<K>) => string;
  /** What it acts on, short, e.g. `queue order-events ← notifications` (the PR comment's "what" column). */
  target: (action: ActionOf<K>) => string;
}

const versionLabel = (target: DeploymentTarget) => target.version.tag ?? (target.version.kind === 'existing' ? target.version.id.slice(0, 8) : '?');
const withSecrets = (secrets: string[]) => (secrets.length ? ` with secret ${secrets.join(', ')}` : '');

export const ACTION_KINDS: { [K in ActionKind]: ActionKindDefinition<K> } = {
  'create-queue': {
    phase: 'resources',
    verb: 'create',
    byDependencyLevel: false,
    description: 'create a queue a producer, consumer or dead-letter setting names (never deleted: it holds messages)',
    describe: (action) => `create queue ${action.queue}`,
    target: (action) => `queue ${action.queue}`,
  },
  'create-kv-namespace': {
    phase: 'resources',
    verb: 'create',
    byDependencyLevel: false,
    description: 'create a KV namespace a binding names by title (never deleted: it holds data)',
    describe: (action) => `create KV namespace ${action.title} (never deleted by edgeops: it holds data)`,
    target: (action) => `KV namespace ${action.title} (never deleted)`,
  },
  'create-d1-database': {
    phase: 'resources',
    verb: 'create',
    byDependencyLevel: false,
    description: 'create a D1 database a binding names by `database_name` (never deleted: it holds data)',
    describe: (action) => `create D1 database ${action.database} (never deleted by edgeops: it holds data)`,
    target: (action) => `D1 database ${action.database} (never deleted)`,
  },
  'create-script': {
    phase: 'versions',
    verb: 'create',
    byDependencyLevel: true,
    description: 'upload a new script; its first version serves 100%',
    describe: (action) => `create script, version ${action.tag}${withSecrets(action.secrets)}`,
    target: (action) => `version ${action.tag}`,
  },
  'upload-version': {
    phase: 'versions',
    verb: 'update',
    byDependencyLevel: true,
    description: 'upload a new version of a script without deploying it',
    describe: (action) => `upload version ${action.tag}${withSecrets(action.secrets)}`,
    target: (action) => `version ${action.tag}`,
  },
  deploy: {
    phase: 'deployments',
    verb: 'deploy',
    byDependencyLevel: true,
    description: 'deploy one version at 100%, or two with percentages (gradual rollout)',
    describe: (action) => `deploy ${action.versions.map((target) => `${versionLabel(target)} ${target.percentage}%`).join(', ')}`,
    target: (action) =>
      action.versions.length === 1
        ? versionLabel(action.versions[0] as DeploymentTarget)
        : action.versions.map((target) => `${versionLabel(target)} ${target.percentage}%`).join(' / '),
  },
  'update-settings': {
    phase: 'settings',
    verb: 'update',
    byDependencyLevel: false,
    description: "set a script's tags (the owner tag of an adopted script)",
    describe: (action) => `set tags ${action.tags.join(', ')}`,
    target: (action) => `tags ${action.tags.join(', ')}`,
  },
  'put-schedules': {
    phase: 'settings',
    verb: 'update',
    byDependencyLevel: false,
    description: "set a script's cron triggers (the whole list)",
    describe: (action) => (action.crons.length ? `set cron triggers ${action.crons.join(', ')}` : 'clear cron triggers'),
    target: (action) => (action.crons.length ? `crons ${action.crons.join(', ')}` : 'no crons'),
  },
  'put-queue-consumer': {
    phase: 'settings',
    verb: 'update',
    byDependencyLevel: false,
    description: "register or update a service as a queue's worker consumer",
    describe: (action) => `${action.consumerId ? 'update' : 'register'} as consumer of queue ${action.queue}`,
    target: (action) => `queue ${action.queue} ← ${action.service}`,
  },
  'create-route': {
    phase: 'routes',
    verb: 'create',
    byDependencyLevel: false,
    description: 'add a route in a zone',
    describe: (action) => `add route ${action.pattern} (zone ${action.zoneName})`,
    target: (action) => action.pattern,
  },
  'update-route': {
    phase: 'routes',
    verb: 'update',
    byDependencyLevel: false,
    description: 'point an existing route at this script',
    describe: (action) => `point route ${action.pattern} here (zone ${action.zoneName})`,
    target: (action) => action.pattern,
  },
  'attach-domain': {
    phase: 'routes',
    verb: 'create',
    byDependencyLevel: false,
    description: 'attach a custom domain',
    describe: (action) => `attach custom domain ${action.hostname}`,
    target: (action) => action.hostname,
  },
  'delete-route': {
    phase: 'removals',
    verb: 'delete',
    byDependencyLevel: false,
    description: 'remove a route git no longer declares',
    describe: (action) => `remove route ${action.pattern} (zone ${action.zoneName})`,
    target: (action) => action.pattern,
  },
  'detach-domain': {
    phase: 'removals',
    verb: 'delete',
    byDependencyLevel: false,
    description: 'detach a custom domain git no longer declares',
    describe: (action) => `detach custom domain ${action.hostname}`,
    target: (action) => action.hostname,
  },
  'delete-queue-consumer': {
    phase: 'removals',
    verb: 'delete',
    byDependencyLevel: false,
    description: 'remove a worker consumer git no longer declares',
    describe: (action) => `stop consuming queue ${action.queue}`,
    target: (action) => `queue ${action.queue} ← ${action.service}`,
  },
  'delete-script': {
    phase: 'scripts-removal',
    verb: 'delete',
    byDependencyLevel: false,
    description: 'delete a managed script git no longer declares (an orphan; only with prune)',
    describe: () => 'delete script',
    target: (action) => `script ${action.service}`,
  },
  'apply-d1-migrations': {
    phase: 'migrations',
    verb: 'update',
    byDependencyLevel: false,
    description: "run a D1 database's pending migrations (wrangler's `migrations_dir` files, recorded in `d1_migrations`) before the new version",
    describe: (action) => `apply D1 migrations to ${action.database}: ${action.migrations.map((migration) => migration.name).join(', ')}`,
    target: (action) => `D1 ${action.database}: ${action.migrations.length} migration${action.migrations.length === 1 ? '' : 's'}`,
  },
  'deploy-migrations': {
    phase: 'versions',
    verb: 'deploy',
    byDependencyLevel: true,
    description: 'upload and serve a version (100%) with its Durable Object migrations; the migration tag changes',
    describe: (action) => `deploy version ${action.tag} at 100% with Durable Object migrations ${describeMigrations(action.migrations)}${withSecrets(action.secrets)}`,
    target: (action) => `version ${action.tag}, migration tag ${action.migrations.old_tag ?? '(none)'} → ${action.migrations.new_tag}`,
  },
  'create-r2-bucket': {
    phase: 'resources',
    verb: 'create',
    byDependencyLevel: false,
    description: 'create an R2 bucket an `r2_buckets` binding names by `bucket_name` (never deleted: it holds objects)',
    describe: (action) => `create R2 bucket ${action.bucket} (never deleted by edgeops: it holds objects)`,
    target: (action) => `R2 bucket ${action.bucket} (never deleted)`,
  },
};

/** The registry entry of an action's kind, typed for that action. */
function definitionOf<K extends ActionKind>(kind: K): ActionKindDefinition<K> {
  return ACTION_KINDS[kind];
}

export function symbolOf(action: Action): string {
  return VERB_SYMBOLS[ACTION_KINDS[action.kind].verb];
}

/** What the action does, in words. */
export function describeKind<K extends ActionKind>(action: ActionOf<K> & { kind: K }): string {
  return definitionOf<K>(action.kind).describe(action);
}

/** What the action acts on, short. */
export function actionTarget<K extends ActionKind>(action: ActionOf<K> & { kind: K }): string {
  return definitionOf<K>(action.kind).target(action);
}

/** `users: upload version 1.3.0`, or `account: create queue events` for account-level actions. */
export function describeAction(action: Action): string {
  return `${'service' in action ? action.service : 'account'}: ${describeKind(action)}`;
}
