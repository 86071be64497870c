/** The messages between the edge's main thread (listener-host.ts) and the listener's thread (listener-thread.ts). */
import type { ListenerOptions } from './listener.ts';

/** What the thread starts with. */
export interface ListenerThreadData {
  options: ListenerOptions;
  /** The runtime's address (`http://127.0.0.1:<port>`), undefined when it is down. */
  upstream: string | undefined;
}

/** Commands, each answered by a `done` event with the same id. */
export type ListenerCommand = { id: number; type: 'hold' } | { id: number; type: 'release'; upstream: string | undefined } | { id: number; type: 'close' };

export type ListenerEvent =
  | { type: 'listening'; port: number }
  | { type: 'failed'; message: string }
  | { type: 'waiting'; count: number }
  | { type: 'done'; id: number; left?: number };
