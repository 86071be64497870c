import { z } from 'zod';

/**
 * What the PR comment renders: a reconciler plan reduced to rows a reviewer reads.
 * Everything the comment needs is here, so the renderer does not depend on the reconciler's
 * internal Plan type; `fromReconcilerPlan` is the one place that knows the plan-JSON format.
 */
export interface PlanSummaryInput {
  /** `local` or `cloudflare`; shown in the heading. */
  target?: string;
  services: ServiceSummary[];
  summary: PlanCounts;
  errors: PlanSummaryError[];
}

export interface ServiceSummary {
  name: string;
  /** create | update | deploy | unchanged | delete, as the reconciler's table says. */
  status: string;
  actions: ActionSummary[];
}

export interface ActionSummary {
  /** The reconciler's action kind: create-script, deploy, create-route, … */
  kind: string;
  /** What the action touches, e.g. `api.example.com/*` or `1.3.0 10% / 1.2.0 90%`. */
  target: string;
  /** Human-only explanation from the plan. */
  reason: string;
  /** Shown in the plan but not executed (a removal while prune is off). */
  skipped?: boolean;
}

/** Counted per service, as `terraform plan` counts resources. */
export interface PlanCounts {
  create: number;
  update: number;
  delete: number;
  unchanged: number;
}

export interface PlanSummaryError {
  message: string;
  /** `services/users/wrangler.toml routes[0]`, or a service name; absent for fleet-wide errors. */
  where?: string;
}

/** The fields of the reconciler's plan JSON (`npm run plan -- --json --out plan.json`) this module reads. */
const versionRefSchema = z.object({ kind: z.string(), tag: z.string().optional(), id: z.string().optional() });
const actionSchema = z.object({
  kind: z.string(),
  service: z.string(),
  reason: z.string(),
  prune: z.boolean().optional(),
  tag: z.string().optional(),
  pattern: z.string().optional(),
  zoneName: z.string().optional(),
  hostname: z.string().optional(),
  crons: z.array(z.string()).optional(),
  tags: z.array(z.string()).optional(),
  queue: z.string().optional(),
  title: z.string().optional(),
  database: z.string().optional(),
  versions: z.array(z.object({ version: versionRefSchema, percentage: z.number() })).optional(),
});
export const reconcilerPlanSchema = z.object({
  target: z.string().optional(),
  services: z.array(z.object({ service: z.string(), status: z.string() })),
  waves: z.array(z.object({ actions: z.array(actionSchema) })),
  skipped: z.array(actionSchema).default([]),
  errors: z.array(z.object({ message: z.string(), service: z.string().optional(), file: z.string().optional(), key: z.string().optional() })),
});
export type ReconcilerPlan = z.infer<typeof reconcilerPlanSchema>;
type ReconcilerAction = z.infer<typeof actionSchema>;

/** How each action kind names what it touches; unknown kinds fall back to the service name. */
const ACTION_TARGETS: Record<string, (action: ReconcilerAction) => string | undefined> = {
  'create-script': (action) => action.tag && `version ${action.tag}`,
  'upload-version': (action) => action.tag && `version ${action.tag}`,
  deploy: (action) =>
    action.versions
      ?.map(({ version, percentage }) => `${version.tag ?? version.id ?? '?'}${action.versions && action.versions.length > 1 ? ` ${percentage}%` : ''}`)
      .join(' / '),
  'update-settings': (action) => action.tags && `tags ${action.tags.join(', ')}`,
  'put-schedules': (action) => action.crons && (action.crons.length > 0 ? `crons ${action.crons.join(', ')}` : 'no crons'),
  'create-route': (action) => action.pattern,
  'update-route': (action) => action.pattern,
  'delete-route': (action) => action.pattern,
  'attach-domain': (action) => action.hostname,
  'detach-domain': (action) => action.hostname,
  'delete-script': (action) => `script ${action.service}`,
  'create-queue': (action) => action.queue && `queue ${action.queue}`,
  'create-kv-namespace': (action) => action.title && `KV namespace ${action.title} (never deleted)`,
  'create-d1-database': (action) => action.database && `D1 database ${action.database} (never deleted)`,
};

const STATUS_COUNTS: Record<string, keyof PlanCounts> = {
  create: 'create',
  update: 'update',
  deploy: 'update',
  delete: 'delete',
  unchanged: 'unchanged',
};

/** The adapter: reconciler plan JSON → what the comment renders. Throws a ZodError naming the bad field. */
export function fromReconcilerPlan(json: unknown): PlanSummaryInput {
  const plan = reconcilerPlanSchema.parse(json);
  const toRow = (action: ReconcilerAction, skipped: boolean): ActionSummary => ({
    kind: action.kind,
    target: ACTION_TARGETS[action.kind]?.(action) ?? action.service,
    reason: action.reason,
    ...(skipped ? { skipped } : {}),
  });
  const executed = plan.waves.flatMap((wave) => wave.actions).map((action) => ({ action, row: toRow(action, false) }));
  const skipped = plan.skipped.map((action) => ({ action, row: toRow(action, true) }));
  const rows = [...executed, ...skipped];

  const summary: PlanCounts = { create: 0, update: 0, delete: 0, unchanged: 0 };
  const services = plan.services.map(({ service, status }) => {
    const actions = rows.filter(({ action }) => action.service === service).map(({ row }) => row);
    const onlySkipped = actions.length > 0 && actions.every((action) => action.skipped);
    const counted = STATUS_COUNTS[status];
    // A removal that prune does not execute is listed, but not counted as a change.
    if (counted && !(counted === 'delete' && onlySkipped)) summary[counted] += 1;
    return { name: service, status, actions };
  });
  const errors = plan.errors.map(({ message, service, file, key }) => {
    const where = [file ?? service, key].filter(Boolean).join(' ');
    return where ? { message, where } : { message };
  });
  return { ...(plan.target ? { target: plan.target } : {}), services, summary, errors };
}
