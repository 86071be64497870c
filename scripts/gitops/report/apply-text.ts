import Table from 'cli-table3';
import type { ApplyResult } from '../apply/apply.ts';
import { describeKind } from '../plan/action-kinds.ts';
import { actionService } from '../plan/action.ts';

/** The summary table printed after apply: every action, its outcome and time. */
export function renderApplySummary(result: ApplyResult): string {
  const table = new Table({ head: ['service', 'action', 'result', 'ms'], style: { head: [], border: [] } });
  for (const entry of result.results) {
    table.push([actionService(entry.action) ?? '(account)', describeKind(entry.action), entry.status === 'failed' ? `failed: ${entry.error ?? ''}` : entry.status, String(entry.durationMs)]);
  }
  const done = result.results.filter((entry) => entry.status === 'done').length;
  const failed = result.results.filter((entry) => entry.status === 'failed').length;
  const notRun = result.results.filter((entry) => entry.status === 'not-run').length;
  const headline = result.ok
    ? `Apply complete: ${done} action${done === 1 ? '' : 's'} in ${result.durationMs} ms (${result.requests} API requests).`
    : `Apply failed: ${failed} failed, ${done} done, ${notRun} not run. Fix the cause and run apply again; it converges.`;
  return result.results.length > 0 ? `${table.toString()}\n${headline}` : headline;
}
