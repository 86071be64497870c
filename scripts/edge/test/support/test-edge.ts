/**
 * The local edge of one test file: a fresh temp directory, an edge on free ports started before the
 * file's tests, stopped and removed after them.
 */
import { join } from 'node:path';
import { withTempDir } from '../../../fleet/temp-dir.ts';
import { startEdge, type Edge, type EdgeOptions } from '../../src/index.ts';
import { ApiClient } from './api-client.ts';

export interface TestEdge {
  edge: Edge;
  /** An OpenAPI-checked client of the edge's API. */
  api: ApiClient;
  /** This file's temp directory; the edge keeps its state in `stateDir` inside it, tests may add their own files beside it. */
  root: string;
  stateDir: string;
  /** Stops this edge and starts another on the same state (with the same options); that one is stopped after the tests. */
  restart(): Promise<TestEdge>;
}

/** What a test may choose of the edge; the state directory and the (free) ports are the helper's. */
export type TestEdgeOptions = Omit<EdgeOptions, 'stateDir' | 'apiPort' | 'dataPort'>;

const DEFAULT_OPTIONS: TestEdgeOptions = { zones: ['example.com'] };

/**
 * A fresh temp directory (`<prefix>…`) for a file whose tests start and restart their own edges:
 * handed to `onReady` before the tests; after them the edge `running()` names is stopped and the
 * directory removed.
 */
export function withEdgeDir(prefix: string, onReady: (root: string) => unknown, running: () => Edge | undefined): void {
  withTempDir(prefix, onReady, { beforeRemove: async () => running()?.stop() });
}

/**
 * This file's local edge (zone example.com unless `options` say otherwise): started before its
 * tests and handed to `onStart`, stopped and removed after them.
 */
export function withTestEdge(prefix: string, onStart: (started: TestEdge) => unknown, options: TestEdgeOptions = DEFAULT_OPTIONS): void {
  let edge: Edge | undefined;
  const start = async (root: string): Promise<TestEdge> => {
    const stateDir = join(root, 'state');
    const started = await startEdge({ ...options, stateDir, apiPort: 0, dataPort: 0 });
    edge = started;
    return {
      edge: started,
      api: new ApiClient(started.apiUrl, started.token, started.accountId),
      root,
      stateDir,
      restart: async () => {
        await started.stop();
        return start(root);
      },
    };
  };
  withEdgeDir(prefix, async (root) => onStart(await start(root)), () => edge);
}
