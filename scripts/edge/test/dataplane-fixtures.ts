import type { Snapshot, SnapshotBinding, SnapshotScript, SnapshotVersion } from '../src/snapshot.ts';

const encoder = new TextEncoder();

/** One version of a script from an ES module's source. */
export function version(id: string, source: string, options: { percentage?: number; bindings?: SnapshotBinding[] } = {}): SnapshotVersion {
  return {
    id,
    percentage: options.percentage ?? 100,
    mainModule: 'index.js',
    modules: [{ name: 'index.js', type: 'esm', contents: encoder.encode(source) }],
    compatibilityDate: '2025-06-01',
    compatibilityFlags: [],
    bindings: options.bindings ?? [],
  };
}

export function script(name: string, versions: SnapshotVersion[], options: { workersDev?: boolean; schedules?: string[] } = {}): SnapshotScript {
  return { name, versions, schedules: options.schedules ?? [], workersDev: options.workersDev ?? false, durableObjects: [] };
}

export function snapshot(parts: Partial<Snapshot>): Snapshot {
  return { accountId: 'account', subdomain: 'edgeops', scripts: [], routes: [], customDomains: [], queueConsumers: [], kvNamespaces: [], r2Buckets: [], ...parts };
}

/** A worker that answers with who it is and what it saw. */
export function echoWorker(label: string): string {
  return `export default {
  async fetch(request) {
    return Response.json({ worker: ${JSON.stringify(label)}, url: request.url });
  },
};`;
}
