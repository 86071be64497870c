import * as z from 'zod';
import type { TraceBatch, TraceItem } from './trace-item.ts';

/** One finished invocation of one version of a script, as the analytics count it (and the edge keeps on disk). */
export const InvocationSchema = z.object({
  script: z.string().min(1),
  versionId: z.string().min(1),
  /** Milliseconds since the epoch (the trace's event time). */
  timestamp: z.number().int().nonnegative(),
  /** HTTP status of the response; 500 when the Worker threw before answering. */
  status: z.number().int(),
  /** `ok`, `exception`, `exceededCpu`, … (workerd's outcome). */
  outcome: z.string(),
  /** An error, as the analytics count errors: an uncaught exception (any outcome but `ok`) or a 5xx. */
  error: z.boolean(),
  /** Always 0 on a local runtime: workerd does not measure CPU time (see trace-item.ts). */
  cpuTimeMs: z.number().nonnegative(),
  wallTimeMs: z.number().nonnegative(),
});
export type Invocation = z.infer<typeof InvocationSchema>;

/** How much the log keeps: the newest `maxCount` invocations of the last `maxAgeMs`. */
export interface Retention {
  maxCount: number;
  maxAgeMs: number;
}

export const DEFAULT_RETENTION: Retention = { maxCount: 200_000, maxAgeMs: 7 * 24 * 3_600_000 };

/** What the log keeps of `invocations` (oldest first) at `now`. */
export function retained(invocations: readonly Invocation[], retention: Retention, now: number): Invocation[] {
  const since = now - retention.maxAgeMs;
  const recent = invocations.filter((invocation) => invocation.timestamp >= since);
  return recent.slice(Math.max(0, recent.length - retention.maxCount));
}

export type InvocationListener = (invocation: Invocation, trace: TraceItem) => void;

function invocationOf(batch: TraceBatch, trace: TraceItem, now: number): Invocation {
  const status = trace.event?.response?.status ?? (trace.outcome === 'ok' ? 200 : 500);
  const timestamp = trace.eventTimestamp ?? now;
  return {
    script: batch.script,
    versionId: batch.versionId,
    timestamp,
    status,
    outcome: trace.outcome,
    error: trace.outcome !== 'ok' || status >= 500,
    cpuTimeMs: trace.cpuTime,
    // workerd reports 0: the edge measures from the event's start to the trace reaching its tail worker.
    wallTimeMs: trace.wallTime > 0 ? trace.wallTime : Math.max(0, (batch.deliveredAt ?? timestamp) - timestamp),
  };
}

/** Called with the request invocations each batch added (what the durable log appends). */
export type CountedListener = (invocations: readonly Invocation[]) => void;

/**
 * The invocations the data plane served, oldest first, within the retention (the oldest and the
 * expired go first). Fed by the tail worker; read by the GraphQL Analytics API and by whoever
 * listens (logs, the durable copy in invocation-file.ts).
 */
export class InvocationLog {
  #invocations: Invocation[] = [];
  readonly #listeners = new Set<InvocationListener>();
  readonly #counted = new Set<CountedListener>();

  constructor(
    readonly retention: Retention = DEFAULT_RETENTION,
    private readonly now: () => number = Date.now,
    restored: readonly Invocation[] = [],
  ) {
    this.#invocations = retained(restored, retention, now());
  }

  record(batch: TraceBatch): void {
    const counted: Invocation[] = [];
    for (const trace of batch.traces) {
      const invocation = invocationOf(batch, trace, this.now());
      // Only fetch events are requests; scheduled and queue invocations are logged, not counted.
      if (trace.event?.request) counted.push(invocation);
      for (const listener of this.#listeners) listener(invocation, trace);
    }
    if (counted.length === 0) return;
    this.#invocations.push(...counted);
    const excess = this.#invocations.length - this.retention.maxCount;
    if (excess > 0) this.#invocations.splice(0, excess);
    for (const listener of this.#counted) listener(counted);
  }

  /** Calls `listener` for every invocation recorded from now on; returns the unsubscribe. */
  subscribe(listener: InvocationListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Calls `listener` with the request invocations of every batch from now on; returns the unsubscribe. */
  onCounted(listener: CountedListener): () => void {
    this.#counted.add(listener);
    return () => this.#counted.delete(listener);
  }

  /** Drops what is past the retention; returns what is kept, oldest first. */
  prune(): readonly Invocation[] {
    this.#invocations = retained(this.#invocations, this.retention, this.now());
    return this.#invocations;
  }

  /** Invocations whose timestamp is within [from, to] (either bound optional). */
  between(from?: number, to?: number): Invocation[] {
    return this.#invocations.filter((invocation) => (from === undefined || invocation.timestamp >= from) && (to === undefined || invocation.timestamp <= to));
  }
}
