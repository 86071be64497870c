import { readFile } from 'node:fs/promises';
import { applyPlan, type ApplyResult } from '../apply/apply.ts';
import { acquireLock } from '../apply/lock.ts';
import { hasChanges, planSchema, type Plan } from '../plan/plan.ts';
import { planSession, type MakePlanOptions, type Session } from './session.ts';

/** A saved plan no longer matches the account: apply refuses it. */
export class StalePlanError extends Error {
  constructor(reason: string) {
    super(`the saved plan is stale: ${reason}; run plan again`);
    this.name = 'StalePlanError';
  }
}

/** A saved plan file that cannot be applied: unreadable, not JSON, or not a plan (names the field). */
export class PlanFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanFileError';
  }
}

/** Reads a saved plan (`plan --out`), parsed with the plan's schema; refused before any API call when invalid. */
export async function readPlanFile(file: string): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new PlanFileError(`${file}: cannot read the saved plan (${error instanceof Error ? error.message : String(error)})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PlanFileError(`${file} is not JSON (${error instanceof Error ? error.message : String(error)}); save a plan with \`npm run plan -- --out ${file}\``);
  }
  const parsed = planSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    throw new PlanFileError(`${file} is not a plan written by \`plan --out\`: ${issues}; make it again with \`npm run plan -- --out ${file}\``);
  }
  return parsed.data;
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
      const fresh = await planSession(session, { prune: saved.prune, adopt: saved.adopt, scope: saved.scope, ...(saved.only ? { only: saved.only } : {}), ...(saved.allowDataLoss ? { allowDataLoss: true } : {}) });
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
