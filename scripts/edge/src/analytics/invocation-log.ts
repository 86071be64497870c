import type { TraceBatch, TraceItem } from './trace-item.ts';

/** One finished invocation of one version of a script, as the analytics count it. */
export interface Invocation {
  script: string;
  versionId: string;
  /** Milliseconds since the epoch (the trace's event time). */
  timestamp: number;
  /** HTTP status of the response; 500 when the Worker threw before answering. */
  status: number;
  /** `ok`, `exception`, `exceededCpu`, … (workerd's outcome). */
  outcome: string;
  /** An error, as the analytics count errors: an uncaught exception (any outcome but `ok`) or a 5xx. */
  error: boolean;
  cpuTimeMs: number;
  wallTimeMs: number;
}

export type InvocationListener = (invocation: Invocation, trace: TraceItem) => void;

function invocationOf(script: string, versionId: string, trace: TraceItem, now: number): Invocation {
  const status = trace.event?.response?.status ?? (trace.outcome === 'ok' ? 200 : 500);
  return {
    script,
    versionId,
    timestamp: trace.eventTimestamp ?? now,
    status,
    outcome: trace.outcome,
    error: trace.outcome !== 'ok' || status >= 500,
    cpuTimeMs: trace.cpuTime,
    wallTimeMs: trace.wallTime,
  };
}

/**
 * The invocations the data plane served, newest last, kept in memory up to `limit` (the oldest go
 * first). Fed by the tail worker; read by the GraphQL Analytics API and by whoever listens (logs).
 */
export class InvocationLog {
  readonly #invocations: Invocation[] = [];
  readonly #listeners = new Set<InvocationListener>();

  constructor(
    private readonly limit = 200_000,
    private readonly now: () => number = Date.now,
  ) {}

  record(batch: TraceBatch): void {
    for (const trace of batch.traces) {
      const invocation = invocationOf(batch.script, batch.versionId, trace, this.now());
      // Only fetch events are requests; scheduled and queue invocations are logged, not counted.
      if (trace.event?.request) this.#invocations.push(invocation);
      for (const listener of this.#listeners) listener(invocation, trace);
    }
    const excess = this.#invocations.length - this.limit;
    if (excess > 0) this.#invocations.splice(0, excess);
  }

  /** Calls `listener` for every invocation recorded from now on; returns the unsubscribe. */
  subscribe(listener: InvocationListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Invocations whose timestamp is within [from, to] (either bound optional). */
  between(from?: number, to?: number): Invocation[] {
    return this.#invocations.filter((invocation) => (from === undefined || invocation.timestamp >= from) && (to === undefined || invocation.timestamp <= to));
  }
}
