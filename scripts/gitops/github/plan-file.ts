import { readFile } from 'node:fs/promises';
import { ZodError } from 'zod';
import { fromReconcilerPlan, type PlanSummaryInput } from './plan-input.ts';

/** The plan file is missing or is not a reconciler plan. */
export class PlanFileError extends Error {}

const EXIT_MEANINGS: Record<number, string> = { 0: 'no changes', 1: 'error', 2: 'changes' };

/**
 * Reads `plan.json` for the comment. A plan that failed before writing its file still gets a
 * comment (saying so, with the exit code), so a broken PR is visible on the PR and not only in CI.
 * A file that exists but is not a reconciler plan is a bug to fix, and throws naming the field.
 */
export async function loadPlanSummary(path: string, exitCode?: number): Promise<PlanSummaryInput> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    const code = exitCode === undefined ? '' : ` (plan exited with ${exitCode}${EXIT_MEANINGS[exitCode] ? `: ${EXIT_MEANINGS[exitCode]}` : ''})`;
    return {
      services: [],
      account: [],
      summary: { create: 0, update: 0, delete: 0, unchanged: 0 },
      errors: [{ message: `the plan wrote no ${path}${code}; its output in the workflow run log says why` }],
    };
  }
  let input: PlanSummaryInput;
  try {
    input = fromReconcilerPlan(JSON.parse(text));
  } catch (error) {
    if (error instanceof ZodError) {
      const issues = error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
      throw new PlanFileError(`${path} is not a reconciler plan: ${issues}`);
    }
    throw new PlanFileError(`${path} is not JSON: ${(error as Error).message}`);
  }
  if (exitCode === 1 && input.errors.length === 0) {
    return { ...input, errors: [{ message: 'the plan exited with 1 (error); its output in the workflow run log says why' }] };
  }
  return input;
}
