/**
 * The data plane's listener seen from the edge's main thread: starts listener-thread.ts in a worker
 * thread and swaps the runtime behind it. A swap holds the listener (new requests wait, in-flight
 * ones finish), runs the change (workerd's restart), and releases the listener to wherever the
 * runtime listens afterwards, whether the change succeeded or not.
 */
import { Worker } from 'node:worker_threads';
import { bundleListenerThread } from './bundle.ts';
import type { ListenerOptions } from './listener.ts';
import type { ListenerCommand, ListenerEvent, ListenerThreadData } from './listener-protocol.ts';
import { singleUpstream, type ShardUpstreams } from './upstream-selection.ts';

export interface DataPlaneListener {
  /** `http://<host>:<port>`: the data plane's public address, stable across applies. */
  url: string;
  /**
   * Runs `change` (a runtime restart) while no request is in the runtime: new requests wait, those
   * in flight finish first (bounded). Afterwards requests go to the runtime `upstream` names then.
   */
  swap<T>(change: () => Promise<T>): Promise<T>;
  /** Requests waiting for the swap under way to end (as the listener's thread last reported). */
  readonly waiting: number;
  close(): Promise<void>;
}

/** Where the runtime listens now (one address, or one per shard); undefined (or a throw) when it is down. */
export type UpstreamLookup = () => Promise<URL | ShardUpstreams | undefined>;

type Command = ListenerCommand extends infer Each ? (Each extends { id: number } ? Omit<Each, 'id'> : never) : never;

export async function startListenerThread(options: ListenerOptions, upstream: UpstreamLookup): Promise<DataPlaneListener> {
  const lookup = async (): Promise<ShardUpstreams | undefined> => {
    const found = await upstream().catch(() => undefined);
    return found instanceof URL ? singleUpstream(found.href) : found;
  };
  const workerData: ListenerThreadData = { options, upstream: await lookup() };
  const worker = new Worker(await bundleListenerThread(), { eval: true, workerData });
  const pending = new Map<number, { resolve: (left: number | undefined) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let waiting = 0;
  let failure: Error | undefined;

  const port = await new Promise<number>((resolve, reject) => {
    worker.on('message', (event: ListenerEvent) => {
      if (event.type === 'listening') resolve(event.port);
      else if (event.type === 'failed') reject(new Error(`the data plane could not listen on ${options.host}:${options.port}: ${event.message}`));
      else if (event.type === 'waiting') waiting = event.count;
      else {
        pending.get(event.id)?.resolve(event.left);
        pending.delete(event.id);
      }
    });
    const stopped = (error: Error): void => {
      failure = error;
      reject(error);
      for (const call of pending.values()) call.reject(error);
      pending.clear();
    };
    worker.on('error', (error) => stopped(new Error(`the data plane's listener thread failed: ${error.message}`, { cause: error })));
    worker.on('exit', (code) => stopped(new Error(`the data plane's listener thread exited (code ${code})`)));
  }).catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });

  function send(command: Command): Promise<number | undefined> {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...command, id } satisfies ListenerCommand);
    });
  }

  const urlHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${urlHost}:${port}`,
    get waiting() {
      return waiting;
    },
    async swap(change) {
      const left = await send({ type: 'hold' });
      if (left) process.stderr.write(`edge: ${left} data-plane request(s) still running after the drain bound; the apply's restart cuts them\n`);
      try {
        return await change();
      } finally {
        await send({ type: 'release', upstream: await lookup() });
      }
    },
    async close() {
      // A thread that already failed has nothing left to close; terminating it is enough.
      if (!failure) await send({ type: 'close' }).catch(() => undefined);
      failure ??= new Error('the data plane was closed');
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}
