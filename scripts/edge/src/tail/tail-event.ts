import type { Invocation } from '../analytics/invocation-log.ts';
import type { TraceItem } from '../analytics/trace-item.ts';

/**
 * One event on a tail's WebSocket, in the shape `wrangler tail` parses (`TailEventMessage` in
 * wrangler's `src/tail/createTail.ts`; printed by `src/tail/printing.ts`): outcome, scriptName,
 * scriptVersion, exceptions, logs, eventTimestamp and the event (request and response).
 */
export function tailEventMessage(invocation: Invocation, trace: TraceItem, tag: string | undefined): Record<string, unknown> {
  return {
    outcome: trace.outcome,
    scriptName: invocation.script,
    scriptVersion: { id: invocation.versionId, ...(tag ? { tag } : {}) },
    exceptions: trace.exceptions.map((exception) => ({ name: exception.name, message: exception.message, timestamp: exception.timestamp })),
    logs: trace.logs.map((log) => ({ message: log.message, level: log.level, timestamp: log.timestamp })),
    eventTimestamp: trace.eventTimestamp ?? invocation.timestamp,
    event: trace.event ?? null,
  };
}
