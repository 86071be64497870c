import type { Invocation } from './invocation-log.ts';

/**
 * The `workersInvocationsAdaptive` dataset of Cloudflare's GraphQL Analytics API, computed over the
 * edge's invocation log. Names are Cloudflare's
 * (https://developers.cloudflare.com/analytics/graphql-api/tutorials/querying-workers-metrics/):
 * filter `scriptName`, `scriptVersion`, `status`, `datetime_geq|gt|leq|lt`; dimensions `scriptName`,
 * `scriptVersion`, `status`, `datetime`; `sum { requests errors subrequests cpuTimeUs wallTime }`;
 * `quantiles { cpuTimeP50 … wallTimeP99 }`.
 */

export const DIMENSIONS = ['scriptName', 'scriptVersion', 'status', 'datetime'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface InvocationsFilter {
  scriptName?: string;
  scriptVersion?: string;
  status?: string;
  datetime_geq?: string;
  datetime_gt?: string;
  datetime_leq?: string;
  datetime_lt?: string;
  AND?: InvocationsFilter[];
}

export interface InvocationsGroup {
  dimensions: Partial<Record<Dimension, string>>;
  sum: { requests: number; errors: number; subrequests: number; cpuTimeUs: number; wallTime: number };
  quantiles: Record<`${'cpuTime' | 'wallTime'}P${50 | 75 | 90 | 99 | 999}`, number>;
}

/** workerd's outcome → the `status` dimension's value on Cloudflare. */
const STATUS_OF_OUTCOME: Record<string, string> = {
  ok: 'success',
  exception: 'scriptThrewException',
  exceededCpu: 'exceededResources',
  exceededMemory: 'exceededResources',
  canceled: 'clientDisconnected',
};

export function statusOf(invocation: Invocation): string {
  return STATUS_OF_OUTCOME[invocation.outcome] ?? 'internalError';
}

function timeOf(text: string, key: string): number {
  const time = Date.parse(text);
  if (Number.isNaN(time)) throw new Error(`filter.${key}: "${text}" is not an RFC 3339 time such as 2026-01-01T00:00:00Z`);
  return time;
}

function matches(invocation: Invocation, filter: InvocationsFilter): boolean {
  if (filter.scriptName !== undefined && invocation.script !== filter.scriptName) return false;
  if (filter.scriptVersion !== undefined && invocation.versionId !== filter.scriptVersion) return false;
  if (filter.status !== undefined && statusOf(invocation) !== filter.status) return false;
  if (filter.datetime_geq !== undefined && invocation.timestamp < timeOf(filter.datetime_geq, 'datetime_geq')) return false;
  if (filter.datetime_gt !== undefined && invocation.timestamp <= timeOf(filter.datetime_gt, 'datetime_gt')) return false;
  if (filter.datetime_leq !== undefined && invocation.timestamp > timeOf(filter.datetime_leq, 'datetime_leq')) return false;
  if (filter.datetime_lt !== undefined && invocation.timestamp >= timeOf(filter.datetime_lt, 'datetime_lt')) return false;
  return (filter.AND ?? []).every((inner) => matches(invocation, inner));
}

const DIMENSION_VALUE: Record<Dimension, (invocation: Invocation) => string> = {
  scriptName: (invocation) => invocation.script,
  scriptVersion: (invocation) => invocation.versionId,
  status: statusOf,
  // Cloudflare's adaptive datasets sample per event; the local edge groups by the minute.
  datetime: (invocation) => new Date(Math.floor(invocation.timestamp / 60_000) * 60_000).toISOString().replace('.000Z', 'Z'),
};

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}

function summarise(dimensions: InvocationsGroup['dimensions'], invocations: Invocation[]): InvocationsGroup {
  const cpu = invocations.map((invocation) => invocation.cpuTimeMs).sort((a, b) => a - b);
  const wall = invocations.map((invocation) => invocation.wallTimeMs).sort((a, b) => a - b);
  const quantiles = {} as InvocationsGroup['quantiles'];
  for (const [suffix, q] of [[50, 0.5], [75, 0.75], [90, 0.9], [99, 0.99], [999, 0.999]] as const) {
    // Cloudflare reports CPU and wall time quantiles in microseconds.
    quantiles[`cpuTimeP${suffix}`] = quantile(cpu, q) * 1000;
    quantiles[`wallTimeP${suffix}`] = quantile(wall, q) * 1000;
  }
  return {
    dimensions,
    sum: {
      requests: invocations.length,
      errors: invocations.filter((invocation) => invocation.error).length,
      subrequests: 0,
      cpuTimeUs: cpu.reduce((total, value) => total + value * 1000, 0),
      wallTime: wall.reduce((total, value) => total + value * 1000, 0),
    },
    quantiles,
  };
}

/** Groups the matching invocations by the requested dimensions, at most `limit` groups, largest first. */
export function workersInvocations(invocations: Invocation[], filter: InvocationsFilter, dimensions: Dimension[], limit: number): InvocationsGroup[] {
  const groups = new Map<string, { dimensions: InvocationsGroup['dimensions']; invocations: Invocation[] }>();
  for (const invocation of invocations) {
    if (!matches(invocation, filter)) continue;
    const values = Object.fromEntries(dimensions.map((dimension) => [dimension, DIMENSION_VALUE[dimension](invocation)]));
    const key = JSON.stringify(values);
    const group = groups.get(key) ?? { dimensions: values, invocations: [] as Invocation[] };
    group.invocations.push(invocation);
    groups.set(key, group);
  }
  return [...groups.values()]
    .map((group) => summarise(group.dimensions, group.invocations))
    .sort((a, b) => b.sum.requests - a.sum.requests)
    .slice(0, limit);
}
