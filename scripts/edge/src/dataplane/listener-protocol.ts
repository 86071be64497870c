/** The messages between the edge's main thread (listener-host.ts) and the listener's thread (listener-thread.ts). */
import type { ListenerOptions } from './listener.ts';
import type { ShardUpstreams } from './upstream-selection.ts';

/** What the thread starts with. */
export interface ListenerThreadData {
  options: ListenerOptions;
  /** The runtimes' addresses (`http://127.0.0.1:<port>`, one per shard), undefined when they are down. */
  upstream: ShardUpstreams | undefined;
}

/** Commands, each answered by a `done` event with the same id. */
export type ListenerCommand = { id: number; type: 'hold' } | { id: number; type: 'release'; upstream: ShardUpstreams | undefined } | { id: number; type: 'close' };

export type ListenerEvent =
  | { type: 'listening'; port: number }
  | { type: 'failed'; message: string }
  | { type: 'waiting'; count: number }
  | { type: 'done'; id: number; left?: number };
