import { readFile } from 'node:fs/promises';
import { applyPlan, type ApplyResult } from '../apply/apply.ts';
import { acquireLock } from '../apply/lock.ts';
import { hasChanges, type Plan } from '../plan/plan.ts';
import { planSession, type MakePlanOptions, type Session } from './session.ts';

/** A saved plan no longer matches the account: apply refuses it. */
export class StalePlanError extends Error {
  constructor(reason: string) {
    super(`the saved plan is stale: ${reason}; run plan again`);
    this.name = 'StalePlanError';
  }
}

export async function readPlanFile(file: string): Promise<Plan> {
  const plan = JSON.parse(await readFile(file, 'utf8')) as Plan;
  if (plan.formatVersion !== 1 || !Array.isArray(plan.waves)) throw new Error(`${file}: not a plan written by \`plan --out\``);
  return plan;
}

export interface ApplySessionOptions extends MakePlanOptions {
  /** A saved plan (`plan --out`): applied as is if the account did not change since. */
  saved?: Plan;
  /** Called with the plan before anything is executed; return false to stop (confirmation). */
  confirm?: (plan: Plan) => Promise<boolean>;
  progress?: (line: string) => void;
}

export interface ApplyOutcome {
  plan: Plan;
  result?: ApplyResult;
}

/**
 * Holds the apply lock, then either re-observes and checks a saved plan's fingerprint, or observes
 * and plans afresh; then executes the plan. The lock is released however it ends.
 */
export async function applySession(session: Session, options: ApplySessionOptions = {}): Promise<ApplyOutcome> {
  const lock = await acquireLock(session.target.lockFile);
  try {
    let plan: Plan;
    if (options.saved) {
      const saved = options.saved;
      if (saved.target !== session.target.target || saved.accountId !== session.client.accountId) {
        throw new StalePlanError(`it was made for target ${saved.target}, account ${saved.accountId}`);
      }
      const fresh = await planSession(session, { prune: saved.prune, adopt: saved.adopt, scope: saved.scope, ...(saved.only ? { only: saved.only } : {}) });
      if (fresh.fingerprint !== saved.fingerprint) throw new StalePlanError('the account changed since it was made');
      plan = saved;
    } else {
      plan = await planSession(session, options);
    }
    if (plan.errors.length > 0 || !hasChanges(plan)) return { plan };
    if (options.confirm && !(await options.confirm(plan))) return { plan };
    const result = await applyPlan(plan, {
      client: session.client,
      desired: session.desired,
      bundles: session.bundles,
      versionCache: session.versionCache,
      env: session.env,
      concurrency: session.concurrency,
      ...(options.progress ? { progress: options.progress } : {}),
    });
    return { plan, result };
  } finally {
    await lock.release();
  }
}
