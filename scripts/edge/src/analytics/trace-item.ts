import * as z from 'zod';

/**
 * One invocation as a tail worker receives it (a `TraceItem`, the same object Cloudflare gives Tail
 * Workers: https://developers.cloudflare.com/workers/runtime-apis/handlers/tail/), reduced to the
 * fields the edge reads. workerd fills them, but `cpuTime` and `wallTime` are always 0: its
 * `RequestObserverWithTracer` calls `setOutcome` with 0 ms of CPU time and 0 ms of wall time
 * (cloudflare/workerd `src/workerd/server/server.c++`, checked at commit 6552d999, 2026-08-22).
 */
export const TraceItemSchema = z.object({
  eventTimestamp: z.number().nullable(),
  outcome: z.string(),
  cpuTime: z.number().default(0),
  wallTime: z.number().default(0),
  logs: z.array(z.object({ level: z.string(), message: z.array(z.unknown()), timestamp: z.number() })).default([]),
  exceptions: z.array(z.object({ name: z.string(), message: z.string(), timestamp: z.number() })).default([]),
  event: z
    .object({
      request: z.object({ url: z.string(), method: z.string(), headers: z.record(z.string(), z.string()).default({}) }).optional(),
      response: z.object({ status: z.number() }).optional(),
    })
    .passthrough()
    .nullable()
    .default(null),
});
export type TraceItem = z.infer<typeof TraceItemSchema>;

/** What the edge's tail worker posts: the traces of one version worker. */
export const TraceBatchSchema = z.object({
  script: z.string(),
  versionId: z.string(),
  /**
   * The tail worker's clock when it got the traces: workerd hands them over once the invocation
   * (its response and `waitUntil` work) has finished, so this minus `eventTimestamp` is the wall time.
   */
  deliveredAt: z.number().optional(),
  traces: z.array(TraceItemSchema),
});
export type TraceBatch = z.infer<typeof TraceBatchSchema>;
