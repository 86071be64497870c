/**
 * A GitHub Actions workflow file as the tests read it (the keys this repository's workflows use),
 * from GitHub's workflow syntax reference
 * (docs.github.com/actions/writing-workflows/workflow-syntax-for-github-actions). The runner
 * (workflow-run.ts) reads any workflow with it; workflows.test.ts extends it with the house rules
 * every workflow here must follow.
 */
import * as z from 'zod';

export const Scalar = z.union([z.string(), z.number(), z.boolean()]);
export const Env = z.record(z.string(), Scalar);
export const Permissions = z.record(z.string(), z.enum(['read', 'write', 'none']));
export const Concurrency = z.object({ group: z.string(), 'cancel-in-progress': z.boolean() });

export const WorkflowStep = z.object({
  id: z.string().optional(),
  name: z.string().optional(),
  if: z.union([z.string(), z.boolean()]).optional(),
  uses: z.string().optional(),
  with: z.record(z.string(), Scalar).optional(),
  run: z.string().optional(),
  env: Env.optional(),
  'working-directory': z.string().optional(),
  'continue-on-error': z.union([z.boolean(), z.string()]).optional(),
});

export const WorkflowJob = z.object({
  name: z.string().optional(),
  'runs-on': z.string().optional(),
  'timeout-minutes': z.number().optional(),
  needs: z.union([z.string(), z.array(z.string())]).optional(),
  if: z.union([z.string(), z.boolean()]).optional(),
  permissions: Permissions.optional(),
  environment: z.union([z.string(), z.object({ name: z.string(), url: z.string().optional() })]).optional(),
  concurrency: Concurrency.optional(),
  env: Env.optional(),
  outputs: z.record(z.string(), z.string()).optional(),
  strategy: z.object({ matrix: z.record(z.string(), z.unknown()), 'fail-fast': z.boolean().optional() }).optional(),
  steps: z.array(WorkflowStep),
});

export const WorkflowFile = z.object({
  name: z.string(),
  on: z.unknown(),
  permissions: Permissions.optional(),
  concurrency: Concurrency.optional(),
  env: Env.optional(),
  jobs: z.record(z.string(), WorkflowJob),
});
