import { supportedCompatibilityDate, type Request as MiniflareRequest, type Response as MiniflareResponse, type WorkerOptions } from 'miniflare';
import { miniflareQueueConsumer } from '../../../cloudflare/queue-consumer.ts';
import type { Snapshot, SnapshotModule, SnapshotVersion } from '../snapshot.ts';
import { bindingOptionsFor, entryWorkerScripts, primaryVersionName } from './bindings.ts';
import { d1AccessWorker } from './d1-access.ts';
import { storageWorker } from './storage-worker.ts';
import { INVOCATIONS_BINDING } from './tail-binding.ts';
import { REQUEST_ID_ENTRY_MODULE, requestIdEntrySource, serviceBindingNames } from './request-id-entry.ts';
import { buildDispatchTable, TABLE_BINDING, versionWorkerName, type DispatchTable } from './dispatch-table.ts';

export const ROUTER_WORKER_NAME = '@edge-router';
export const TAIL_WORKER_NAME = '@edge-tail';


/** The edge's tail worker (tail.worker.ts) and the Node function it hands traces to. */
export interface TailOptions {
  script: string;
  sink: (request: MiniflareRequest) => Promise<MiniflareResponse>;
}
const ROUTER_COMPATIBILITY_DATE = '2025-09-01';
const MODULES_ROOT = '/edge-modules';

type ModuleType = 'ESModule' | 'CommonJS' | 'Text' | 'Data' | 'CompiledWasm';

/** Upload part types → Miniflare module types; source maps are not modules. */
const MODULE_TYPES: Record<SnapshotModule['type'], ModuleType | undefined> = {
  esm: 'ESModule',
  commonjs: 'CommonJS',
  text: 'Text',
  data: 'Data',
  'compiled-wasm': 'CompiledWasm',
  'source-map': undefined,
};

function modulesOf(scriptName: string, version: SnapshotVersion): { type: ModuleType; path: string; contents: Uint8Array }[] {
  const main = version.modules.find((module) => module.name === version.mainModule);
  if (!main) {
    const names = version.modules.map((module) => `"${module.name}"`).join(', ') || 'none';
    throw new Error(`Data plane could not apply the snapshot: the main module "${version.mainModule}" of "${versionWorkerName(scriptName, version.id)}" is not among its modules (${names})`);
  }
  const ordered = [main, ...version.modules.filter((module) => module !== main)];
  const modules = ordered.flatMap((module) => {
    const type = MODULE_TYPES[module.type];
    return type ? [{ type, path: `${MODULES_ROOT}/${module.name}`, contents: module.contents }] : [];
  });
  // Subrequests through service bindings carry the request's x-request-id (request-id-entry.ts).
  const services = serviceBindingNames(version.bindings);
  if (main.type !== 'esm' || services.length === 0) return modules;
  const entry = { type: 'ESModule' as const, path: `${MODULES_ROOT}/${REQUEST_ID_ENTRY_MODULE}`, contents: new TextEncoder().encode(requestIdEntrySource(main.name, services)) };
  return [entry, ...modules];
}

/** workerd refuses dates newer than it knows; Cloudflare runs them, so run them at the newest it supports. */
function clampCompatibilityDate(date: string): string {
  return date > supportedCompatibilityDate ? supportedCompatibilityDate : date;
}

function versionWorker(snapshot: Snapshot, scriptName: string, version: SnapshotVersion, consumers: WorkerOptions['queueConsumers'], tailed: boolean): WorkerOptions {
  return {
    ...(tailed ? { tails: [{ name: TAIL_WORKER_NAME, props: { script: scriptName, versionId: version.id } }] } : {}),
    name: versionWorkerName(scriptName, version.id),
    modules: modulesOf(scriptName, version),
    modulesRoot: MODULES_ROOT,
    compatibilityDate: clampCompatibilityDate(version.compatibilityDate),
    compatibilityFlags: version.compatibilityFlags,
    ...bindingOptionsFor(version.bindings, snapshot, scriptName),
    ...(consumers ? { queueConsumers: consumers } : {}),
  };
}

function dispatchingWorker(name: string, script: string, table: DispatchTable, bindings: Record<string, string>): WorkerOptions {
  return {
    name,
    modules: true,
    script,
    compatibilityDate: ROUTER_COMPATIBILITY_DATE,
    bindings: { [TABLE_BINDING]: table },
    serviceBindings: bindings,
  };
}

/** Queue consumers go to each consuming script's primary version (a queue has one consumer). */
function consumersByWorker(snapshot: Snapshot): Map<string, NonNullable<WorkerOptions['queueConsumers']>> {
  const byWorker = new Map<string, NonNullable<WorkerOptions['queueConsumers']>>();
  const taken = new Set<string>();
  for (const consumer of snapshot.queueConsumers) {
    const worker = primaryVersionName(snapshot, consumer.script);
    if (!worker || taken.has(consumer.queueName)) continue;
    taken.add(consumer.queueName);
    const consumers = byWorker.get(worker) ?? {};
    consumers[consumer.queueName] = miniflareQueueConsumer(consumer.settings, consumer.deadLetterQueue);
    byWorker.set(worker, consumers);
  }
  return byWorker;
}

/**
 * Every Miniflare worker the snapshot needs: the router first (with a socket of its own at `listen`
 * when given), one worker per script version, and an entry worker per script that
 * service bindings reach through a percentage split; last, the storage worker binding the account's
 * KV namespaces for the API's KV data operations.
 */
export function workersForSnapshot(snapshot: Snapshot, routerScript: string, listen?: { host: string; port: number }, tail?: TailOptions): WorkerOptions[] {
  const table = buildDispatchTable(snapshot);
  // Every dispatching worker can reach every version, by the binding names the table gives them.
  const allVersions: Record<string, string> = {};
  for (const [name, script] of Object.entries(table.scripts)) {
    for (const version of script.versions) allVersions[version.binding] = versionWorkerName(name, version.id);
  }
  const consumers = consumersByWorker(snapshot);
  const versions = snapshot.scripts.flatMap((script) =>
    script.versions.map((version) => versionWorker(snapshot, script.name, version, consumers.get(versionWorkerName(script.name, version.id)), tail !== undefined)),
  );
  // The listener sends a request that reaches a deployed version straight to that version's own
  // socket (upstream-selection.ts), skipping the router's service-binding hop. A proxy-style socket
  // takes the public URL in the request line (`GET https://host/path HTTP/1.1`), so the Worker sees
  // that URL as it would on Cloudflare.
  if (listen) for (const worker of versions) worker.unsafeDirectSockets = [{ host: listen.host, port: listen.port, proxy: true }];
  const entries = entryWorkerScripts(snapshot).map((script) =>
    dispatchingWorker(script, routerScript, { ...table, routes: [], fixedScript: script }, allVersions),
  );
  const router = dispatchingWorker(ROUTER_WORKER_NAME, routerScript, table, allVersions);
  // The listener (listener.ts) forwards to a socket straight into the router, skipping Miniflare's
  // entry worker: one isolate hop fewer per request (measured by scripts/edge/bench.ts).
  if (listen) router.unsafeDirectSockets = [{ host: listen.host, port: listen.port }];
  const tails: WorkerOptions[] = tail
    ? [{ name: TAIL_WORKER_NAME, modules: true, script: tail.script, compatibilityDate: ROUTER_COMPATIBILITY_DATE, serviceBindings: { [INVOCATIONS_BINDING]: tail.sink } }]
    : [];
  return [router, ...versions, ...entries, ...d1AccessWorker(snapshot.d1Databases ?? []), storageWorker(snapshot), ...tails];
}
