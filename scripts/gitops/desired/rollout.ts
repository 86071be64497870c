import type { GitopsServiceSettings } from '../config/schema.ts';
import type { DesiredRollout, Source } from '../state/desired.ts';

type DeclaredRollout = NonNullable<GitopsServiceSettings['rollout']>;

/** A declared rollout as the plan reads it: a gated one starts at its first step. */
export function desiredRollout(declared: DeclaredRollout, source: Source): DesiredRollout {
  if ('percentage' in declared) return { stable: declared.stable, percentage: declared.percentage, source };
  const first = declared.steps[0] ?? 100;
  return {
    stable: declared.stable,
    percentage: first,
    source,
    gate: { steps: declared.steps, intervalMs: declared.interval, maxErrorRate: declared.maxErrorRate, minRequests: declared.minRequests },
  };
}
