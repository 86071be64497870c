/**
 * The closed set of actions a plan can hold (after Terraform's plans/action.go).
 * Each action carries everything apply needs, plus a `reason` that is for humans only:
 * apply never reads it.
 */

/** A version the deployment refers to: one already on the account, or the one this plan uploads. */
export type VersionRef =
  | { kind: 'existing'; id: string; tag?: string }
  | { kind: 'uploaded'; service: string; tag: string };

export interface DeploymentTarget {
  version: VersionRef;
  percentage: number;
}

interface ActionBase {
  /** Human-only explanation ("content sha256:ab12… changed, version 1.2.0 → 1.3.0"). */
  reason: string;
  /** Set on actions that remove something git no longer declares: executed only with prune. */
  prune?: boolean;
}

/** PUT the script (creates it, deploys the uploaded version at 100%). */
export interface CreateScriptAction extends ActionBase {
  kind: 'create-script';
  service: string;
  tag: string;
  hash: string;
  secrets: string[];
}

/** POST a new version of an existing script without deploying it. */
export interface UploadVersionAction extends ActionBase {
  kind: 'upload-version';
  service: string;
  tag: string;
  hash: string;
  secrets: string[];
}

/** POST a deployment: one version at 100%, or two with percentages (gradual rollout / rollback). */
export interface DeployAction extends ActionBase {
  kind: 'deploy';
  service: string;
  versions: DeploymentTarget[];
}

/** PATCH script-settings: set the script's tags (adds the owner tag to an adopted script). */
export interface UpdateSettingsAction extends ActionBase {
  kind: 'update-settings';
  service: string;
  tags: string[];
}

/** PUT the script's cron triggers (the whole list). */
export interface PutSchedulesAction extends ActionBase {
  kind: 'put-schedules';
  service: string;
  crons: string[];
}

export interface CreateRouteAction extends ActionBase {
  kind: 'create-route';
  service: string;
  zoneId: string;
  zoneName: string;
  pattern: string;
}

export interface UpdateRouteAction extends ActionBase {
  kind: 'update-route';
  service: string;
  zoneId: string;
  zoneName: string;
  routeId: string;
  pattern: string;
  /** Script the route pointed to before (informational). */
  from?: string;
}

export interface DeleteRouteAction extends ActionBase {
  kind: 'delete-route';
  service: string;
  zoneId: string;
  zoneName: string;
  routeId: string;
  pattern: string;
}

export interface AttachDomainAction extends ActionBase {
  kind: 'attach-domain';
  service: string;
  hostname: string;
  zoneId: string;
  zoneName: string;
}

export interface DetachDomainAction extends ActionBase {
  kind: 'detach-domain';
  service: string;
  domainId: string;
  hostname: string;
}

/** POST a queue the fleet's producers or consumers name (queues are never deleted: they hold data). */
export interface CreateQueueAction extends ActionBase {
  kind: 'create-queue';
  service: string;
  queue: string;
}

/**
 * POST a KV namespace a binding names by title (no `id` in git). Never deleted: it holds data.
 * `services` are all the services whose bindings name it (`--only` keeps the action for any of them).
 */
export interface CreateKvNamespaceAction extends ActionBase {
  kind: 'create-kv-namespace';
  service: string;
  services: string[];
  title: string;
}

/** POST a D1 database a binding names by `database_name` (no `database_id` in git). Never deleted: it holds data. */
export interface CreateD1DatabaseAction extends ActionBase {
  kind: 'create-d1-database';
  service: string;
  services: string[];
  database: string;
}

/** Register (POST) or update (PUT `consumerId`) this service as the queue's worker consumer. */
export interface PutQueueConsumerAction extends ActionBase {
  kind: 'put-queue-consumer';
  service: string;
  queue: string;
  /** The consumer to replace; absent to create one. */
  consumerId?: string;
  settings: { batch_size?: number; max_retries?: number; max_wait_time_ms?: number };
  deadLetterQueue?: string;
}

export interface DeleteQueueConsumerAction extends ActionBase {
  kind: 'delete-queue-consumer';
  service: string;
  queue: string;
  queueId: string;
  consumerId: string;
}

export interface DeleteScriptAction extends ActionBase {
  kind: 'delete-script';
  service: string;
}

export type Action =
  | CreateScriptAction
  | UploadVersionAction
  | DeployAction
  | UpdateSettingsAction
  | PutSchedulesAction
  | CreateRouteAction
  | UpdateRouteAction
  | DeleteRouteAction
  | AttachDomainAction
  | DetachDomainAction
  | CreateQueueAction
  | CreateKvNamespaceAction
  | CreateD1DatabaseAction
  | PutQueueConsumerAction
  | DeleteQueueConsumerAction
  | DeleteScriptAction;

export type ActionKind = Action['kind'];
export type ActionOf<K extends ActionKind> = Extract<Action, { kind: K }>;
