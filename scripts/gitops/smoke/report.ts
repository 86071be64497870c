import Table from 'cli-table3';
import * as z from 'zod';

/** One line of a smoke test: a route called (pass or fail) or something it could not call (skip). */
export const SmokeResult = z.object({
  service: z.string(),
  operation: z.string().optional(),
  method: z.string().optional(),
  path: z.string().optional(),
  url: z.string().optional(),
  status: z.number().int().optional(),
  result: z.enum(['pass', 'fail', 'skip']),
  detail: z.string(),
});
export type SmokeResult = z.infer<typeof SmokeResult>;

/** What `npm run smoke -- --json` prints and `--out` writes. */
export const SmokeReport = z.object({
  environment: z.string(),
  target: z.enum(['local', 'cloudflare']),
  /** Where the environment answers (its first route host), for a GitHub Deployment's environment_url. */
  url: z.string().optional(),
  /** True when no call failed. */
  ok: z.boolean(),
  results: z.array(SmokeResult),
});
export type SmokeReport = z.infer<typeof SmokeReport>;

/** The table (service, route, status, result) and one summary line. */
export function renderSmoke(report: SmokeReport): string {
  const table = new Table({ head: ['service', 'route', 'status', 'result'], style: { head: [], border: [] }, wordWrap: true });
  for (const line of report.results) {
    const route = line.method && line.path ? `${line.method} ${line.path}` : (line.path ?? '-');
    table.push([line.service, route, line.status === undefined ? '-' : String(line.status), line.result === 'pass' ? 'pass' : `${line.result}: ${line.detail}`]);
  }
  const failed = report.results.filter((line) => line.result === 'fail').length;
  const passed = report.results.filter((line) => line.result === 'pass').length;
  const summary = failed === 0 ? `Smoke test of ${report.environment} passed: ${passed} routes answered as their contracts say.` : `Smoke test of ${report.environment} FAILED: ${failed} of ${failed + passed} routes did not answer as their contracts say.`;
  return `${table.toString()}\n${summary}`;
}
