/**
 * The listener's thread: runs listener.ts and obeys the main thread's commands. A thread of its own
 * keeps the data plane answering while the main thread is busy (the control plane parsing an upload,
 * bundling, a client in the same process) and lets the forwarding run beside it on another core.
 * Bundled by bundle.ts and started by listener-host.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startListener, type Listener } from './listener.ts';
import type { ListenerCommand, ListenerEvent, ListenerThreadData } from './listener-protocol.ts';

const port = parentPort;
if (!port) throw new Error('listener-thread.ts runs as a worker thread (listener-host.ts starts it)');
const post = (event: ListenerEvent): void => port.postMessage(event);
const data = workerData as ListenerThreadData;

/** One handler per command type; each resolves to what `done` carries. */
function handlers(listener: Listener): { [Type in ListenerCommand['type']]: (command: Extract<ListenerCommand, { type: Type }>) => Promise<{ left?: number }> } {
  return {
    hold: () => listener.hold(),
    release: async (command) => {
      listener.release(command.upstream);
      return {};
    },
    close: async () => {
      await listener.close();
      return {};
    },
  };
}

startListener(data.options, data.upstream, (count) => post({ type: 'waiting', count })).then(
  (listener) => {
    const handle = handlers(listener);
    port.on('message', (command: ListenerCommand) => {
      const run = handle[command.type] as (command: ListenerCommand) => Promise<{ left?: number }>;
      void run(command).then((result) => post({ type: 'done', id: command.id, ...result }));
    });
    post({ type: 'listening', port: listener.port });
  },
  (error: unknown) => post({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
);
