import * as z from 'zod';
import { UploadMigrations } from '../../cloudflare/durable-object-migrations.ts';

/**
 * The closed set of actions a plan can hold (after Terraform's plans/action.go), as zod schemas:
 * the types are inferred from them, and a saved plan (`apply --plan`) is parsed with them.
 * Each action carries everything apply needs, plus a `reason` that is for humans only: apply never
 * reads it. Service-level actions name their `service`; account-level ones (queues, KV namespaces,
 * D1 databases) name the `services` that need them and belong to no service.
 */

const versionRef = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('existing'), id: z.string().min(1), tag: z.string().optional() }),
  z.object({ kind: z.literal('uploaded'), service: z.string().min(1), tag: z.string().min(1) }),
]);
/** A version the deployment refers to: one already on the account, or the one this plan uploads. */
export type VersionRef = z.infer<typeof versionRef>;

const deploymentTarget = z.object({ version: versionRef, percentage: z.number().min(0).max(100) });
export type DeploymentTarget = z.infer<typeof deploymentTarget>;

const base = {
  /** Human-only explanation ("content sha256:ab12… changed, version 1.2.0 → 1.3.0"). */
  reason: z.string(),
  /** Set on actions that remove something git no longer declares: executed only with prune. */
  prune: z.boolean().optional(),
};
const serviceBase = { ...base, service: z.string().min(1) };
/** Account-level actions: the services whose bindings name the resource (`--only` keeps it for any of them). */
const accountBase = { ...base, services: z.array(z.string().min(1)) };
const zone = { zoneId: z.string().min(1), zoneName: z.string().min(1) };
const consumerSettings = z.object({ batch_size: z.number().optional(), max_retries: z.number().optional(), max_wait_time_ms: z.number().optional() });

export const actionSchema = z.discriminatedUnion('kind', [
  /** PUT the script (creates it, deploys the uploaded version at 100%). */
  z.object({ kind: z.literal('create-script'), ...serviceBase, tag: z.string().min(1), hash: z.string().min(1), secrets: z.array(z.string()) }),
  /** POST a new version of an existing script without deploying it. */
  z.object({ kind: z.literal('upload-version'), ...serviceBase, tag: z.string().min(1), hash: z.string().min(1), secrets: z.array(z.string()) }),
  /** POST a deployment: one version at 100%, or two with percentages (gradual rollout / rollback). */
  z.object({ kind: z.literal('deploy'), ...serviceBase, versions: z.array(deploymentTarget).min(1) }),
  /** PATCH script-settings: set the script's tags (adds the owner tag to an adopted script). */
  z.object({ kind: z.literal('update-settings'), ...serviceBase, tags: z.array(z.string()) }),
  /** PUT the script's cron triggers (the whole list). */
  z.object({ kind: z.literal('put-schedules'), ...serviceBase, crons: z.array(z.string()) }),
  z.object({ kind: z.literal('create-route'), ...serviceBase, ...zone, pattern: z.string().min(1) }),
  /** `from`: the script the route pointed to before (informational). */
  z.object({ kind: z.literal('update-route'), ...serviceBase, ...zone, routeId: z.string().min(1), pattern: z.string().min(1), from: z.string().optional() }),
  z.object({ kind: z.literal('delete-route'), ...serviceBase, ...zone, routeId: z.string().min(1), pattern: z.string().min(1) }),
  z.object({ kind: z.literal('attach-domain'), ...serviceBase, ...zone, hostname: z.string().min(1) }),
  z.object({ kind: z.literal('detach-domain'), ...serviceBase, domainId: z.string().min(1), hostname: z.string().min(1) }),
  /** POST a queue the fleet's producers or consumers name (never deleted: it holds messages). */
  z.object({ kind: z.literal('create-queue'), ...accountBase, queue: z.string().min(1) }),
  /** POST a KV namespace a binding names by title (no `id` in git). Never deleted: it holds data. */
  z.object({ kind: z.literal('create-kv-namespace'), ...accountBase, title: z.string().min(1) }),
  /** POST a D1 database a binding names by `database_name` (no `database_id` in git). Never deleted: it holds data. */
  z.object({ kind: z.literal('create-d1-database'), ...accountBase, database: z.string().min(1) }),
  /** Register (POST) or update (PUT `consumerId`) this service as the queue's worker consumer. */
  z.object({
    kind: z.literal('put-queue-consumer'),
    ...serviceBase,
    queue: z.string().min(1),
    consumerId: z.string().optional(),
    settings: consumerSettings,
    deadLetterQueue: z.string().optional(),
  }),
  z.object({ kind: z.literal('delete-queue-consumer'), ...serviceBase, queue: z.string().min(1), queueId: z.string().min(1), consumerId: z.string().min(1) }),
  z.object({ kind: z.literal('delete-script'), ...serviceBase }),
  /**
   * Run a D1 database's pending migrations (file names, in order, each with the sha256 planned),
   * each atomically with its `d1_migrations` row, before the service's new version is uploaded.
   * `database` is the `database_name`; `databaseId` when git sets it.
   */
  z.object({
    kind: z.literal('apply-d1-migrations'),
    ...serviceBase,
    database: z.string().min(1),
    databaseId: z.string().optional(),
    table: z.string().min(1),
    migrations: z.array(z.object({ name: z.string().min(1), sha256: z.string().min(1) })).min(1),
  }),
  /** PUT the script with Durable Object migrations (creates or updates it, serves the version at 100%, as wrangler deploy does). */
  z.object({ kind: z.literal('deploy-migrations'), ...serviceBase, tag: z.string().min(1), hash: z.string().min(1), secrets: z.array(z.string()), migrations: UploadMigrations }),
  /** POST an R2 bucket an `r2_buckets` binding names by `bucket_name`. Never deleted: it holds objects. */
  z.object({ kind: z.literal('create-r2-bucket'), ...accountBase, bucket: z.string().min(1) }),
]);

export type Action = z.infer<typeof actionSchema>;
export type ActionKind = Action['kind'];
export type ActionOf<K extends ActionKind> = Extract<Action, { kind: K }>;

/** The service an action belongs to; undefined for account-level actions (queues, KV, D1). */
export function actionService(action: Action): string | undefined {
  return 'service' in action ? action.service : undefined;
}

/** Whether `--only <service>` keeps the action. */
export function concernsService(action: Action, service: string): boolean {
  return 'service' in action ? action.service === service : action.services.includes(service);
}
