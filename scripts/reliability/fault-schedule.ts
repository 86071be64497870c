/**
 * Seeded fault schedules for the control plane during an apply: from one seed, the same few
 * faults (5xx, dropped connections, 429 with retry-after, slow answers) on chosen API calls, some
 * a few times, some on every matching call. fast-check's seeded generator makes a seed a complete
 * description of a run, so a failing seed is replayed exactly.
 */
import fc from 'fast-check';
import type { FaultAction, FaultRuleInput } from '../edge/src/index.ts';

/** The calls an apply makes, `METHOD path` (paths as the edge's fault rules match them, after /client/v4). */
const TARGETS: readonly { method: string; path: string }[] = [
  'GET /accounts/*/workers/scripts',
  'GET /accounts/*/workers/scripts/*/versions',
  'GET /accounts/*/workers/scripts/*/deployments',
  'PUT /accounts/*/workers/scripts/*',
  'POST /accounts/*/workers/scripts/*/versions',
  'POST /accounts/*/workers/scripts/*/deployments',
  'PATCH /accounts/*/workers/scripts/*/script-settings',
  'PUT /accounts/*/workers/scripts/*/schedules',
  'GET /zones',
  'GET /zones/*/workers/routes',
  'POST /zones/*/workers/routes',
  'PUT /zones/*/workers/routes/*',
].map((call) => {
  const [method = '', path = ''] = call.split(' ');
  return { method, path };
});

const action: fc.Arbitrary<FaultAction> = fc.oneof(
  fc.constantFrom(500, 502, 503).map((status): FaultAction => ({ kind: 'status', status })),
  fc.constant<FaultAction>({ kind: 'drop' }),
  fc.integer({ min: 0, max: 1 }).map((retryAfterSeconds): FaultAction => ({ kind: 'rate-limit', retryAfterSeconds })),
  fc.integer({ min: 10, max: 800 }).map((ms): FaultAction => ({ kind: 'delay', ms })),
);

/** `times` absent: every matching call fails, so the apply cannot finish and must stop cleanly. */
const rule: fc.Arbitrary<FaultRuleInput> = fc
  .record({ target: fc.constantFrom(...TARGETS), times: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined, freq: 6 }), action })
  .map(({ target, times, action: chosen }) => ({ method: target.method, path: target.path, action: chosen, ...(times === undefined ? {} : { times }) }));

export function faultSchedule(seed: number): FaultRuleInput[] {
  const [schedule] = fc.sample(fc.array(rule, { minLength: 1, maxLength: 4 }), { seed, numRuns: 1 });
  return schedule ?? [];
}

/** One line per rule, for a report: method, path, fault and how many times. */
export function describeSchedule(schedule: readonly FaultRuleInput[]): string {
  return schedule
    .map((entry) => {
      const { kind, ...detail } = entry.action;
      const said = Object.values(detail).join(' ');
      return `${entry.method ?? '*'} ${String(entry.path)}: ${kind}${said ? ` ${said}` : ''} ${entry.times === undefined ? '×every' : `×${entry.times}`}`;
    })
    .join('; ');
}
