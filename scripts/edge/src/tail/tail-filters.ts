import * as z from 'zod';
import type { TraceItem } from '../analytics/trace-item.ts';

/**
 * The filters `wrangler tail` sends when it creates a tail (`POST …/tails` body `{filters: [...]}`),
 * as wrangler builds them in `src/tail/filters.ts` (github.com/cloudflare/workers-sdk, packages/wrangler):
 * `--status` → `{outcome: [...]}`, `--method` → `{method: [...]}`, `--search` → `{query}`,
 * `--header` → `{header: {key, query?}}`, `--ip` → `{client_ip: [...]}`,
 * `--sampling-rate` → `{sampling_rate}`, `--version-id` → `{scriptVersion}`. An event must pass all.
 */
export const TailFilterSchema = z.union([
  z.strictObject({ outcome: z.array(z.string()) }),
  z.strictObject({ method: z.array(z.string()) }),
  z.strictObject({ query: z.string() }),
  z.strictObject({ header: z.object({ key: z.string(), query: z.string().optional() }) }),
  z.strictObject({ client_ip: z.array(z.string()) }),
  z.strictObject({ sampling_rate: z.number().gt(0).lt(1) }),
  z.strictObject({ scriptVersion: z.string() }),
]);
export type TailFilter = z.infer<typeof TailFilterSchema>;

export const CreateTailBodySchema = z.object({ filters: z.array(TailFilterSchema).default([]) }).default({ filters: [] });

function messageText(trace: TraceItem): string {
  return [...trace.logs.map((log) => log.message.map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(' ')), ...trace.exceptions.map((exception) => `${exception.name}: ${exception.message}`)].join('\n');
}

function passes(filter: TailFilter, trace: TraceItem, versionId: string, random: () => number): boolean {
  const request = trace.event?.request;
  if ('outcome' in filter) return filter.outcome.includes(trace.outcome);
  if ('method' in filter) return request !== undefined && filter.method.some((method) => method.toUpperCase() === request.method.toUpperCase());
  if ('query' in filter) return messageText(trace).includes(filter.query);
  if ('header' in filter) {
    const value = request?.headers[filter.header.key.toLowerCase()];
    return value !== undefined && (filter.header.query === undefined || value.includes(filter.header.query));
  }
  if ('client_ip' in filter) {
    const ip = request?.headers['cf-connecting-ip'];
    return filter.client_ip.some((wanted) => wanted === 'self' || wanted === ip);
  }
  if ('sampling_rate' in filter) return random() < filter.sampling_rate;
  return filter.scriptVersion === versionId;
}

export function passesFilters(filters: readonly TailFilter[], trace: TraceItem, versionId: string, random: () => number = Math.random): boolean {
  return filters.every((filter) => passes(filter, trace, versionId, random));
}
