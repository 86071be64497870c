import { randomUUID } from 'node:crypto';
import type { TailSocket } from './tail-socket.ts';
import type { InvocationLog } from '../analytics/invocation-log.ts';
import { passesFilters, type TailFilter } from './tail-filters.ts';
import { tailEventMessage } from './tail-event.ts';

export interface TailSession {
  id: string;
  script: string;
  filters: TailFilter[];
  expiresAt: string;
  sockets: Set<TailSocket>;
}

/** A tail lives six hours, as Cloudflare's (`expires_at`). */
const TAIL_LIFETIME_MS = 6 * 3_600_000;

/**
 * The tails `wrangler tail` opened: created and deleted through the API (operations/tail.ts),
 * joined by WebSocket (control-plane.ts), fed from the invocation log.
 */
export class TailSessions {
  readonly #sessions = new Map<string, TailSession>();

  constructor(
    invocations: InvocationLog,
    private readonly tagOf: (versionId: string) => string | undefined,
  ) {
    invocations.subscribe((invocation, trace) => {
      for (const session of this.#sessions.values()) {
        if (session.script !== invocation.script || session.sockets.size === 0) continue;
        if (!passesFilters(session.filters, trace, invocation.versionId)) continue;
        const message = JSON.stringify(tailEventMessage(invocation, trace, this.tagOf(invocation.versionId)));
        for (const socket of session.sockets) socket.send(message);
      }
    });
  }

  create(script: string, filters: TailFilter[], now = Date.now()): TailSession {
    const session: TailSession = { id: randomUUID().replaceAll('-', ''), script, filters, expiresAt: new Date(now + TAIL_LIFETIME_MS).toISOString(), sockets: new Set() };
    this.#sessions.set(session.id, session);
    return session;
  }

  get(id: string): TailSession | undefined {
    return this.#sessions.get(id);
  }

  list(script: string): TailSession[] {
    return [...this.#sessions.values()].filter((session) => session.script === script);
  }

  /** Ends the tail: its sockets are closed. False when there is no such tail. */
  delete(script: string, id: string): boolean {
    const session = this.#sessions.get(id);
    if (!session || session.script !== script) return false;
    for (const socket of session.sockets) socket.close();
    this.#sessions.delete(id);
    return true;
  }

  attach(id: string, socket: TailSocket): boolean {
    const session = this.#sessions.get(id);
    if (!session) return false;
    session.sockets.add(socket);
    socket.onClose(() => session.sockets.delete(socket));
    return true;
  }

  closeAll(): void {
    for (const session of this.#sessions.values()) for (const socket of session.sockets) socket.close();
  }
}

/** Where a tail's WebSocket is served, under the control plane. */
export const TAIL_SOCKET_PATH = '/__edge/tail/';
