import { actionTarget, symbolOf } from '../plan/action-kinds.ts';
import { actionService, type Action } from '../plan/action.ts';
import { planSchema, type ServiceStatus } from '../plan/plan.ts';

/**
 * What the PR comment renders: a reconciler plan reduced to rows a reviewer reads.
 * Everything the comment needs is here, so the renderer does not depend on the reconciler's Plan
 * type; `fromReconcilerPlan` parses the plan JSON with the reconciler's own schema and names each
 * action through its action registry (plan/action-kinds.ts).
 */
export interface PlanSummaryInput {
  /** `local` or `cloudflare`; shown in the heading. */
  target?: string;
  services: ServiceSummary[];
  /** Account-level actions (queues, KV namespaces, D1 databases): they belong to no one service. */
  account: ActionSummary[];
  summary: PlanCounts;
  errors: PlanSummaryError[];
  /** Health-gated rollouts in progress, finished or rolled back by the gate: one line each. */
  rollouts?: { service: string; text: string }[];
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
  /** `+` create, `~` update, `>` deploy, `-` delete. */
  symbol: string;
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

const STATUS_COUNTS: Record<ServiceStatus, keyof PlanCounts> = {
  create: 'create',
  update: 'update',
  deploy: 'update',
  delete: 'delete',
  unchanged: 'unchanged',
};

/** The adapter: reconciler plan JSON → what the comment renders. Throws a ZodError naming the bad field. */
export function fromReconcilerPlan(json: unknown): PlanSummaryInput {
  const plan = planSchema.parse(json);
  const toRow = (action: Action, skipped: boolean): ActionSummary => ({
    kind: action.kind,
    symbol: symbolOf(action),
    target: actionTarget(action),
    reason: action.reason,
    ...(skipped ? { skipped } : {}),
  });
  const executed = plan.waves.flatMap((wave) => wave.actions).map((action) => ({ action, row: toRow(action, false) }));
  const skipped = plan.skipped.map((action) => ({ action, row: toRow(action, true) }));
  const rows = [...executed, ...skipped];

  const summary: PlanCounts = { create: 0, update: 0, delete: 0, unchanged: 0 };
  const services = plan.services.map(({ service, status }) => {
    const actions = rows.filter(({ action }) => actionService(action) === service).map(({ row }) => row);
    const onlySkipped = actions.length > 0 && actions.every((action) => action.skipped);
    const counted = STATUS_COUNTS[status];
    // A removal that prune does not execute is listed, but not counted as a change.
    if (!(counted === 'delete' && onlySkipped)) summary[counted] += 1;
    return { name: service, status, actions };
  });
  const errors = plan.errors.map(({ message, service, file, key }) => {
    const where = [file ?? service, key].filter(Boolean).join(' ');
    return where ? { message, where } : { message };
  });
  const account = rows.filter(({ action }) => actionService(action) === undefined).map(({ row }) => row);
  const rollouts = plan.services.flatMap(({ service, rollout }) => (rollout ? [{ service, text: rollout.text }] : []));
  return { target: plan.target, services, account, summary, errors, ...(rollouts.length > 0 ? { rollouts } : {}) };
}
