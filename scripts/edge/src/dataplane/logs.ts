import type { Invocation } from '../analytics/invocation-log.ts';
import type { TraceItem } from '../analytics/trace-item.ts';

/**
 * The edge's log: each Worker's console output and uncaught exceptions, prefixed with the service,
 * its version tag and the request's `x-request-id` (grep one id to follow a request), and one
 * access line per request. Built from the traces the tail worker delivers; secret values of the
 * script are masked wherever they appear.
 */

export interface VersionLabel {
  /** `workers/tag` annotation (the declared version), or a short version id. */
  tag: string;
  /** Values to mask: the script's secrets. */
  secrets: string[];
}

export interface LogOptions {
  /** One line per request (method, host, path, status, ms, version); `--quiet` turns it off. */
  access: boolean;
}

const MASK = '[secret]';

function masked(text: string, secrets: string[]): string {
  return secrets.filter((secret) => secret.length > 0).reduce((current, secret) => current.split(secret).join(MASK), text);
}

function messageText(parts: unknown[]): string {
  return parts.map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join(' ');
}

/** The lines one invocation adds to the log. */
export function invocationLogLines(invocation: Invocation, trace: TraceItem, label: VersionLabel, options: LogOptions, receivedAt: number): string[] {
  const request = trace.event?.request;
  const requestId = request?.headers['x-request-id'];
  const prefix = `[${invocation.script}@${label.tag}${requestId ? ` ${requestId}` : ''}]`;
  const lines = [
    ...trace.logs.map((log) => `${prefix} ${log.level}: ${messageText(log.message)}`),
    ...trace.exceptions.map((exception) => `${prefix} uncaught ${exception.name}: ${exception.message}`),
  ];
  if (options.access && request) {
    const url = new URL(request.url);
    // The wall time the edge measured (analytics/invocation-log.ts); else the time until the trace arrived.
    const ms = invocation.wallTimeMs > 0 ? invocation.wallTimeMs : Math.max(0, receivedAt - invocation.timestamp);
    lines.push(`${prefix} ${request.method} ${url.host}${url.pathname} ${invocation.status} ${Math.round(ms)}ms version ${label.tag}`);
  }
  return lines.map((line) => masked(line, label.secrets));
}
