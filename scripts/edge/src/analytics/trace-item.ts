import * as z from 'zod';

/**
 * One invocation as a tail worker receives it (a `TraceItem`, the same object Cloudflare gives Tail
 * Workers: https://developers.cloudflare.com/workers/runtime-apis/handlers/tail/), reduced to the
 * fields the edge reads. workerd fills them; `cpuTime`/`wallTime` are 0 on a local runtime.
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
  traces: z.array(TraceItemSchema),
});
export type TraceBatch = z.infer<typeof TraceBatchSchema>;
