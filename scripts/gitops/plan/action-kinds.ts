import type { ActionKind } from './action.ts';

/**
 * Where each action kind runs and how the plan table names it.
 * Phases run in this order, after creating missing account resources (queues, KV namespaces, D1 databases: the
 * uploads' bindings need them): scripts and versions (binding targets first) → deployments →
 * settings and triggers → new routes and domains → removed routes and domains → removed scripts.
 */
export type Phase = 'resources' | 'versions' | 'deployments' | 'settings' | 'routes' | 'removals' | 'scripts-removal';

/** How a change reads in the table: `+` create, `~` update, `>` deploy, `-` delete. */
export type Verb = 'create' | 'update' | 'deploy' | 'delete';

export interface ActionKindDefinition {
  phase: Phase;
  verb: Verb;
  /** Actions of this phase are further split by service-binding depth (targets first). */
  byDependencyLevel: boolean;
}

export const PHASES: readonly Phase[] = ['resources', 'versions', 'deployments', 'settings', 'routes', 'removals', 'scripts-removal'];

export const ACTION_KINDS: Record<ActionKind, ActionKindDefinition> = {
  'create-script': { phase: 'versions', verb: 'create', byDependencyLevel: true },
  'upload-version': { phase: 'versions', verb: 'update', byDependencyLevel: true },
  deploy: { phase: 'deployments', verb: 'deploy', byDependencyLevel: true },
  'update-settings': { phase: 'settings', verb: 'update', byDependencyLevel: false },
  'put-schedules': { phase: 'settings', verb: 'update', byDependencyLevel: false },
  'create-route': { phase: 'routes', verb: 'create', byDependencyLevel: false },
  'update-route': { phase: 'routes', verb: 'update', byDependencyLevel: false },
  'attach-domain': { phase: 'routes', verb: 'create', byDependencyLevel: false },
  'delete-route': { phase: 'removals', verb: 'delete', byDependencyLevel: false },
  'detach-domain': { phase: 'removals', verb: 'delete', byDependencyLevel: false },
  'create-queue': { phase: 'resources', verb: 'create', byDependencyLevel: false },
  'create-kv-namespace': { phase: 'resources', verb: 'create', byDependencyLevel: false },
  'create-d1-database': { phase: 'resources', verb: 'create', byDependencyLevel: false },
  'put-queue-consumer': { phase: 'settings', verb: 'update', byDependencyLevel: false },
  'delete-queue-consumer': { phase: 'removals', verb: 'delete', byDependencyLevel: false },
  'delete-script': { phase: 'scripts-removal', verb: 'delete', byDependencyLevel: false },
};
