/**
 * The local edge: control plane (Cloudflare API v4 subset) + data plane (workerd via Miniflare)
 * in one process, sharing a state directory. Every committed change to the control plane's state
 * is first handed to the data plane as a whole `Snapshot`; if the data plane refuses it (a Worker
 * that fails to start), the change is refused with Cloudflare's 10021 and nothing changes.
 */
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ApiError } from './api/errors.ts';
import { buildSnapshot, snapshotFingerprint } from './build-snapshot.ts';
import { startControlPlane } from './control-plane.ts';
import { createDataPlane, type DataPlane } from './dataplane/index.ts';
import { writeEndpointFile, endpointPath } from '../../cloudflare/endpoint.ts';
import { createFaultController, type FaultController } from './faults/index.ts';
import { assertPortsFree } from './ports.ts';
import { lockStateDir } from './state-lock.ts';
import { Store, type ReplacedAccount } from './store/store.ts';
import { checkPersistedData } from './store/sqlite-damage.ts';
import { versionSecrets } from './store/versions.ts';
import { DEFAULT_RETENTION, InvocationLog } from './analytics/invocation-log.ts';
import { InvocationFile } from './analytics/invocation-file.ts';
import { invocationLogLines, type LogOptions } from './dataplane/logs.ts';
import { TailSessions } from './tail/tail-sessions.ts';

export interface EdgeOptions {
  stateDir: string;
  apiPort?: number;
  dataPort?: number;
  host?: string;
  accountId?: string;
  token?: string;
  zones?: string[];
  reset?: boolean;
  /** Print Workers' console output, exceptions and (`access`) one line per request, prefixed (dataplane/logs.ts). */
  logs?: LogOptions;
  /** How long an uploaded version may take to start before it is refused with 10021 (default 30 s). */
  startupDeadlineMs?: number;
}

export interface Edge {
  apiUrl: string;
  url: string;
  accountId: string;
  token: string;
  faults: FaultController;
  dataPlane: DataPlane;
  /** Every request the data plane served (analytics; logs subscribe to it). */
  invocations: InvocationLog;
  /** `wrangler tail` sessions and their sockets. */
  tails: TailSessions;
  /** Set when `reset` gave the account a new id or token (what a user's saved credentials no longer match). */
  replacedAccount: ReplacedAccount | undefined;
  stop(): Promise<void>;
}

export const DEFAULT_API_PORT = 8788;
export const DEFAULT_DATA_PORT = 8787;
export const DEFAULT_HOST = '127.0.0.1';

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function startEdge(options: EdgeOptions): Promise<Edge> {
  const stateDir = resolve(options.stateDir);
  const host = options.host ?? DEFAULT_HOST;
  await assertPortsFree(host, [
    { port: options.dataPort ?? DEFAULT_DATA_PORT, flag: '--port', role: 'data plane' },
    { port: options.apiPort ?? DEFAULT_API_PORT, flag: '--api-port', role: 'control plane' },
  ]);
  const lock = await lockStateDir(stateDir);
  let started: Omit<Edge, 'stop'> & { close(): Promise<void> };
  try {
    started = await startLocked(options, stateDir, host);
  } catch (error) {
    await lock.release();
    throw error;
  }
  let stopped: Promise<void> | undefined;
  const { close, ...edge } = started;
  return {
    ...edge,
    stop() {
      stopped ??= close().finally(() => lock.release());
      return stopped;
    },
  };
}

async function startLocked(options: EdgeOptions, stateDir: string, host: string): Promise<Omit<Edge, 'stop'> & { close(): Promise<void> }> {
  const persistDir = join(stateDir, 'data');
  if (options.reset) {
    await rm(persistDir, { recursive: true, force: true });
    await rm(endpointPath(stateDir), { force: true });
    await InvocationFile.remove(stateDir);
  }
  await checkPersistedData(persistDir, stateDir);
  const store = await Store.open({
    stateDir,
    ...(options.reset ? { reset: true } : {}),
    ...(options.accountId !== undefined ? { accountId: options.accountId } : {}),
    ...(options.token !== undefined ? { token: options.token } : {}),
    ...(options.zones ? { zones: options.zones } : {}),
  });
  // The analytics survive restarts (analytics/invocation-file.ts); a damaged file stops the start here.
  const analytics = await InvocationFile.open(stateDir, DEFAULT_RETENTION, Date.now());
  const invocations = new InvocationLog(DEFAULT_RETENTION, Date.now, analytics.restored);
  analytics.file.follow(invocations);
  const logs = options.logs;
  if (logs) {
    invocations.subscribe((invocation, trace) => {
      const version = store.state.versions.find((candidate) => candidate.id === invocation.versionId);
      const label = {
        tag: version?.annotations['workers/tag'] ?? invocation.versionId.slice(0, 8),
        // Secrets belong to versions (store/versions.ts); mask the ones the serving version runs with.
        secrets: version ? versionSecrets(store.state, version).map((secret) => secret.text) : store.state.secrets.filter((secret) => secret.script === invocation.script).map((secret) => secret.text),
      };
      for (const line of invocationLogLines(invocation, trace, label, logs, Date.now())) process.stdout.write(`${line}\n`);
    });
  }
  const dataPlane = await createDataPlane({ host, port: options.dataPort ?? DEFAULT_DATA_PORT, persistDir, invocations, echoRuntimeStdout: !logs });
  try {
    await dataPlane.apply(await buildSnapshot(store.state, store.blobs));
  } catch (error) {
    await dataPlane.dispose();
    throw new Error(`the saved edge state in ${stateDir} could not be started in the data plane (${errorMessage(error)}); fix it or start again with --reset`);
  }
  let applied = snapshotFingerprint(store.state);
  store.onBeforeCommit(async (next) => {
    const fingerprint = snapshotFingerprint(next);
    if (fingerprint === applied) return;
    const snapshot = await buildSnapshot(next, store.blobs);
    try {
      await dataPlane.apply(snapshot);
      applied = fingerprint;
    } catch (error) {
      // The data plane keeps serving the previous snapshot when it refuses one.
      throw new ApiError('scriptStartup', `Uncaught error while starting the Worker in workerd: ${errorMessage(error)}`);
    }
  });
  const faults = createFaultController();
  const tails = new TailSessions(invocations, (versionId) => store.state.versions.find((version) => version.id === versionId)?.annotations['workers/tag']);
  let controlPlane;
  try {
    controlPlane = await startControlPlane({
      store,
      faults,
      data: {
        kvNamespace: (id) => dataPlane.kvNamespace(id),
        r2BucketHasObjects: (bucket) => dataPlane.r2BucketHasObjects(bucket),
        d1: { database: (id) => dataPlane.d1Database(id) },
        ...(options.startupDeadlineMs !== undefined ? { startupDeadlineMs: options.startupDeadlineMs } : {}),
      },
      host,
      port: options.apiPort ?? DEFAULT_API_PORT,
      invocations,
      tails,
    });
  } catch (error) {
    await dataPlane.dispose();
    throw error;
  }
  const { account } = store.state;
  const info = { apiUrl: controlPlane.apiUrl, url: dataPlane.url, accountId: account.id, token: account.token };
  await writeEndpointFile(stateDir, info);
  return {
    ...info,
    faults,
    dataPlane,
    invocations,
    tails,
    replacedAccount: store.replacedAccount,
    async close() {
      tails.closeAll();
      await controlPlane.close();
      await dataPlane.dispose();
      await analytics.file.close();
    },
  };
}
