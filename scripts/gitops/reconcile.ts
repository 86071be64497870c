import type { ApiEndpoint } from './api/client.ts';
import type { ApplyResult } from './apply/apply.ts';
import type { Plan, Target } from './plan/plan.ts';
import { renderPlan } from './report/plan-text.ts';
import { renderApplySummary } from './report/apply-text.ts';
import { applySession } from './run/apply.ts';
import { consoleOutput, type Output } from './run/output.ts';
import { openSession } from './run/session.ts';

export interface ReconcileOptions {
  rootDir: string;
  target?: Target;
  /** Local target: the edge's endpoint, or its endpoint.json path (default `<rootDir>/.edge/endpoint.json`). */
  endpoint?: ApiEndpoint | string;
  prune?: boolean;
  adopt?: boolean;
  /** Kept for symmetry with the CLI: reconcile never asks (it is what `npm start` runs). */
  yes?: boolean;
  output?: Output;
  env?: NodeJS.ProcessEnv;
  /** The environment to reconcile (default: the top-level one). */
  environment?: string;
}

export interface ReconcileOutcome {
  plan: Plan;
  /** Undefined when the plan had errors or nothing to do. */
  result?: ApplyResult;
}

/**
 * Plan and apply in one go, with the normal printed output (what `npm start` runs on the local
 * edge). Throws on a configuration error; a plan error or a failed apply is reported in the outcome.
 */
export async function reconcile(options: ReconcileOptions): Promise<ReconcileOutcome> {
  const output = options.output ?? consoleOutput;
  const session = await openSession({
    rootDir: options.rootDir,
    target: options.target ?? 'local',
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.environment ? { environment: options.environment } : {}),
  });
  const outcome = await applySession(session, {
    prune: options.prune ?? false,
    adopt: options.adopt ?? false,
    confirm: async (plan) => {
      output.out(renderPlan(plan));
      return true;
    },
    progress: (line) => output.out(line),
  });
  if (!outcome.result) output.out(renderPlan(outcome.plan));
  else output.out(renderApplySummary(outcome.result));
  return outcome;
}
