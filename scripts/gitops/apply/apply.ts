import pLimit from 'p-limit';
import type { ServiceBundle } from '../../fleet/index.ts';
import type { CloudflareClient } from '../api/client.ts';
import type { Action } from '../plan/action.ts';
import type { Plan } from '../plan/plan.ts';
import type { DesiredState } from '../state/desired.ts';
import type { VersionCache } from '../observe/version-cache.ts';
import { execute } from './executors.ts';
import { ResourceIds } from './resource-ids.ts';
import { describeAction } from '../plan/action-kinds.ts';

export type ActionStatus = 'done' | 'failed' | 'not-run';

export interface ActionResult {
  action: Action;
  status: ActionStatus;
  durationMs: number;
  error?: string;
}

export interface ApplyResult {
  ok: boolean;
  results: ActionResult[];
  /** API requests made while applying (retries included). */
  requests: number;
  durationMs: number;
}

export interface ApplyOptions {
  client: CloudflareClient;
  desired: DesiredState;
  bundles: Map<string, ServiceBundle>;
  env?: NodeJS.ProcessEnv;
  versionCache?: VersionCache;
  concurrency?: number;
  /** One line per finished action (progress). */
  progress?: (line: string) => void;
}

/**
 * Executes a plan, wave by wave, never recomputing it. Actions of a wave run concurrently (bounded);
 * when one fails, the wave still finishes and no later wave starts. Rerunning plan + apply converges.
 */
export async function applyPlan(plan: Plan, options: ApplyOptions): Promise<ApplyResult> {
  if (plan.errors.length > 0) throw new Error('the plan has errors; nothing applied');
  const started = Date.now();
  const requestsBefore = options.client.requests;
  const limit = pLimit(options.concurrency ?? 8);
  const context = {
    client: options.client,
    desired: options.desired,
    bundles: options.bundles,
    env: options.env ?? process.env,
    uploaded: new Map<string, string>(),
    resources: new ResourceIds(options.client),
    ...(options.versionCache ? { versionCache: options.versionCache } : {}),
  };
  const results: ActionResult[] = [];
  let failed = false;
  for (const wave of plan.waves) {
    if (failed) {
      results.push(...wave.actions.map((action): ActionResult => ({ action, status: 'not-run', durationMs: 0 })));
      continue;
    }
    const waveResults = await Promise.all(
      wave.actions.map((action) =>
        limit(async (): Promise<ActionResult> => {
          const begin = Date.now();
          try {
            await execute(action, context);
            const result: ActionResult = { action, status: 'done', durationMs: Date.now() - begin };
            options.progress?.(`  ✓ ${describeAction(action)} (${result.durationMs} ms)`);
            return result;
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            options.progress?.(`  ✗ ${describeAction(action)}: ${message}`);
            return { action, status: 'failed', durationMs: Date.now() - begin, error: message };
          }
        }),
      ),
    );
    results.push(...waveResults);
    failed = waveResults.some((result) => result.status === 'failed');
  }
  await options.versionCache?.save();
  return { ok: !failed, results, requests: options.client.requests - requestsBefore, durationMs: Date.now() - started };
}
