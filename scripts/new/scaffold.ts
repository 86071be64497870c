import { writeDocuments } from '../contracts/index.ts';
import { checkFleet } from '../fleet/check.ts';
import { loadFleet } from '../fleet/load.ts';
import { ScaffoldError } from './errors.ts';
import { npmInstall } from './install.ts';
import { planScaffold, type ScaffoldPlan, type ScaffoldRequest } from './plan.ts';
import { formatCreated, formatDryRun } from './report.ts';
import { applyPlan, rollBack, WriteError, type Applied } from './write.ts';

export interface ScaffoldOptions {
  /** List what would be written and changed; write nothing. */
  dryRun: boolean;
  /** Run `npm install` at the end to link the new workspace (skipped in a dry run). */
  install: boolean;
  /** Asked after planning, before writing; false declines. Absent: no question. */
  confirm?: (plan: ScaffoldPlan) => Promise<boolean>;
  /** Where the summary goes. */
  print: (text: string) => void;
}

export interface ScaffoldResult {
  plan: ScaffoldPlan;
  /** Absent in a dry run. */
  applied?: Applied;
  /** How long `npm install` took, when it ran. */
  installMs?: number;
}

/** The fleet as it now is on disk must load and pass every check; otherwise undo the scaffold. */
async function selfCheck(rootDir: string, applied: Applied): Promise<void> {
  try {
    checkFleet(await loadFleet(rootDir));
  } catch (error) {
    await rollBack(applied);
    const detail = error instanceof Error ? error.message : String(error);
    throw new ScaffoldError(`the fleet failed its checks after writing, so everything written was removed again:\n${detail}`, 'rolledBack');
  }
}

/**
 * `npm run new`: plans and checks everything, then (unless a dry run) writes it all, checks the
 * fleet from disk, and links the workspace with `npm install`. Throws a {@link ScaffoldError}
 * carrying the exit code on any failure.
 */
export async function scaffold(request: ScaffoldRequest, options: ScaffoldOptions): Promise<ScaffoldResult> {
  const plan = await planScaffold(request);
  if (options.dryRun) {
    options.print(formatDryRun(plan));
    return { plan };
  }
  if (options.confirm && !(await options.confirm(plan))) throw new ScaffoldError('nothing was written (declined)', 'declined');

  let applied: Applied;
  try {
    applied = await applyPlan(request.rootDir, plan);
  } catch (error) {
    if (error instanceof WriteError) throw new ScaffoldError(error.message, 'rolledBack');
    throw error;
  }
  await selfCheck(request.rootDir, applied);
  // Its published contract, services/<name>/openapi.json, so the staleness check is green at once.
  await writeDocuments(request.rootDir, { only: [request.name] });

  if (!options.install) {
    options.print(formatCreated(plan, false));
    return { plan, applied };
  }
  const installed = await npmInstall(request.rootDir);
  if (!installed.ok) {
    options.print(formatCreated(plan, false));
    throw new ScaffoldError(`npm install failed; the service is in place, run \`npm install\` yourself:\n${installed.output.trim()}`, 'installFailed');
  }
  options.print(formatCreated(plan, true));
  return { plan, applied, installMs: installed.ms };
}
