/**
 * Which workerd runs which scripts: the data plane runs one Miniflare per shard, so an apply restarts
 * only the shards whose Workers changed (Cloudflare isolates Workers from each other; a deploy of
 * one does not restart the others). Pure: a snapshot (and the previous assignment) in, shards out.
 *
 * Scripts that share anything must run in one workerd: a service binding reaches a Worker of the
 * same runtime, a queue's producers and its consumer share the runtime's queue broker, and a KV
 * namespace, D1 database, R2 bucket or Durable Object class is stored in files only one workerd may
 * open at a time. So the scripts and the resources they bind are nodes, each binding links its script
 * to what it names, and the connected components (union-find) are the units placed in shards.
 * Components are packed into shards of at most {@link DEFAULT_SHARD_CAP} version Workers (a bigger
 * component is a shard of its own); resources no script binds stay in the {@link HOME_SHARD}, which
 * runs no script and answers requests that reach no Worker.
 *
 * Placement is stable: a component whose scripts all sat in one shard stays there (whatever that
 * shard's load), a component that changed (scripts joined it or two merged) goes to the shard
 * holding most of its scripts when it fits, and new components fill shards with room before a new
 * shard opens. A 1-service change therefore changes one shard.
 */
import type { SnapshotBinding, Snapshot } from '../snapshot.ts';

/** The shard that runs no script: resources no script binds, and the answer for requests that reach no Worker. */
export const HOME_SHARD = 'home';

/** Version Workers per shard when packing components (a component with more is one shard alone). */
export const DEFAULT_SHARD_CAP = 16;

/** Node keys: a script, or a resource by kind and id. */
const scriptNode = (name: string): string => `script:${name}`;
export const kvNode = (namespaceId: string): string => `kv:${namespaceId}`;
export const d1Node = (databaseId: string): string => `d1:${databaseId}`;
export const r2Node = (bucket: string): string => `r2:${bucket}`;
const queueNode = (queue: string): string => `queue:${queue}`;
const durableObjectNode = (storageId: string): string => `do:${storageId}`;

/** What a binding of `script` links it to (another script's node or a resource's), by binding kind. */
const BINDING_LINKS: { [Type in SnapshotBinding['type']]: (binding: Extract<SnapshotBinding, { type: Type }>, script: string) => string | undefined } = {
  plain_text: () => undefined,
  secret_text: () => undefined,
  json: () => undefined,
  kv_namespace: (binding) => kvNode(binding.namespace_id),
  d1: (binding) => d1Node(binding.id),
  r2_bucket: (binding) => r2Node(binding.bucket_name),
  queue: (binding) => queueNode(binding.queue_name),
  service: (binding) => scriptNode(binding.service),
  durable_object_namespace: (binding, script) => scriptNode(binding.script_name ?? script),
};

function linkOf(binding: SnapshotBinding, script: string): string | undefined {
  const link = BINDING_LINKS[binding.type] as (binding: SnapshotBinding, script: string) => string | undefined;
  return link(binding, script);
}

/** One shard: the scripts it runs and the resources (nodes) its workerd alone opens. */
export interface Shard {
  id: string;
  scripts: string[];
  /** Node keys of the resources and Durable Object classes stored by this shard's workerd. */
  resources: string[];
}

/** Every shard of a snapshot, by id, with the home shard first. */
export interface ShardAssignment {
  shards: Shard[];
}

/** The owner's id of a script or resource node; undefined when no shard holds it. */
export function shardOfScript(assignment: ShardAssignment, script: string): string | undefined {
  return assignment.shards.find((shard) => shard.scripts.includes(script))?.id;
}

export function shardOfResource(assignment: ShardAssignment, resource: string): string | undefined {
  return assignment.shards.find((shard) => shard.resources.includes(resource))?.id;
}

class UnionFind {
  private readonly parent = new Map<string, string>();

  add(node: string): void {
    if (!this.parent.has(node)) this.parent.set(node, node);
  }

  find(node: string): string {
    let root = node;
    while (this.parent.get(root) !== root) root = this.parent.get(root) ?? root;
    // Path compression: every node on the way points at the root.
    let step = node;
    while (step !== root) {
      const next = this.parent.get(step) ?? root;
      this.parent.set(step, root);
      step = next;
    }
    return root;
  }

  union(a: string, b: string): void {
    const rootA = this.find(a);
    const rootB = this.find(b);
    if (rootA !== rootB) this.parent.set(rootB < rootA ? rootA : rootB, rootB < rootA ? rootB : rootA);
  }

  nodes(): string[] {
    return [...this.parent.keys()];
  }
}

/** A connected component: its scripts (in snapshot order), its resources and its weight in version Workers. */
export interface Component {
  scripts: string[];
  resources: string[];
  weight: number;
}

/**
 * The connected components of a snapshot: scripts linked by service and Durable Object bindings,
 * and through the resources they bind (KV, D1, R2, queues produced to or consumed, dead-letter
 * queues). Registered resources no script binds are components without scripts.
 */
export function components(snapshot: Snapshot): Component[] {
  const sets = new UnionFind();
  const deployed = new Set(snapshot.scripts.map((script) => script.name));
  for (const id of snapshot.kvNamespaces) sets.add(kvNode(id));
  for (const id of snapshot.d1Databases ?? []) sets.add(d1Node(id));
  for (const bucket of snapshot.r2Buckets) sets.add(r2Node(bucket));
  for (const script of snapshot.scripts) {
    const node = scriptNode(script.name);
    sets.add(node);
    for (const klass of script.durableObjects) {
      sets.add(durableObjectNode(klass.storageId));
      sets.union(node, durableObjectNode(klass.storageId));
    }
    for (const version of script.versions) {
      for (const binding of version.bindings) {
        const link = linkOf(binding, script.name);
        // A service binding to a script with no deployment reaches an entry worker in the binder's own shard.
        if (link === undefined || (link.startsWith('script:') && !deployed.has(link.slice('script:'.length)))) continue;
        sets.add(link);
        sets.union(node, link);
      }
    }
  }
  for (const consumer of snapshot.queueConsumers) {
    if (!deployed.has(consumer.script)) continue;
    for (const queue of [consumer.queueName, ...(consumer.deadLetterQueue === undefined ? [] : [consumer.deadLetterQueue])]) {
      sets.add(queueNode(queue));
      sets.union(scriptNode(consumer.script), queueNode(queue));
    }
  }
  const byRoot = new Map<string, Component>();
  const weights = new Map(snapshot.scripts.map((script) => [script.name, script.versions.length]));
  const order = [...snapshot.scripts.map((script) => scriptNode(script.name)), ...sets.nodes()];
  const seen = new Set<string>();
  for (const node of order) {
    if (seen.has(node)) continue;
    seen.add(node);
    const root = sets.find(node);
    const component = byRoot.get(root) ?? { scripts: [], resources: [], weight: 0 };
    byRoot.set(root, component);
    if (node.startsWith('script:')) {
      const name = node.slice('script:'.length);
      component.scripts.push(name);
      component.weight += weights.get(name) ?? 0;
    } else component.resources.push(node);
  }
  return [...byRoot.values()];
}

/** The shard id after `ids`: `s1`, `s2`, … (the lowest one not taken). */
function freshId(taken: ReadonlySet<string>): string {
  for (let n = 1; ; n++) if (!taken.has(`s${n}`)) return `s${n}`;
}

/**
 * Places every component of `snapshot` in a shard, keeping `previous` where it can (see the module
 * comment); `cap` bounds the version Workers a shard takes when a component is placed.
 */
export function planShards(snapshot: Snapshot, previous: ShardAssignment | undefined, cap = DEFAULT_SHARD_CAP): ShardAssignment {
  const before = new Map<string, string>();
  for (const shard of previous?.shards ?? []) for (const script of shard.scripts) before.set(script, shard.id);
  const placed = new Map<string, Shard>();
  const load = new Map<string, number>();
  const home: Shard = { id: HOME_SHARD, scripts: [], resources: [] };
  const taken = new Set<string>([HOME_SHARD, ...(previous?.shards ?? []).map((shard) => shard.id)]);
  const put = (id: string, component: Component): void => {
    const shard = placed.get(id) ?? { id, scripts: [], resources: [] };
    placed.set(id, shard);
    shard.scripts.push(...component.scripts);
    shard.resources.push(...component.resources);
    load.set(id, (load.get(id) ?? 0) + component.weight);
  };
  const fits = (id: string, weight: number): boolean => (load.get(id) ?? 0) + weight <= cap;

  const all = components(snapshot);
  const moving: { component: Component; preferred: string | undefined }[] = [];
  for (const component of all) {
    if (component.scripts.length === 0) {
      home.resources.push(...component.resources);
      continue;
    }
    const counts = new Map<string, number>();
    for (const script of component.scripts) {
      const id = before.get(script);
      if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const [preferred] = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0] ?? [];
    // Unchanged: every script was in this one shard before; it stays whatever the shard's load.
    if (preferred !== undefined && counts.get(preferred) === component.scripts.length) put(preferred, component);
    else moving.push({ component, preferred });
  }
  for (const { component, preferred } of moving) {
    if (preferred !== undefined && fits(preferred, component.weight)) {
      put(preferred, component);
      continue;
    }
    const roomy = [...placed.keys()].sort(byShardId).find((id) => fits(id, component.weight));
    if (roomy !== undefined) {
      put(roomy, component);
      continue;
    }
    const id = freshId(taken);
    taken.add(id);
    put(id, component);
  }
  return { shards: [home, ...[...placed.values()].sort((a, b) => byShardId(a.id, b.id))] };
}

/** `s2` before `s10`. */
function byShardId(a: string, b: string): number {
  return Number(a.slice(1)) - Number(b.slice(1));
}

/**
 * The part of `snapshot` one shard serves: its scripts and the resources it holds, with the routes and
 * Custom Domains of its scripts plus those that reach no deployed script (negating routes, routes to
 * a script without a deployment), so its router answers its own requests and those that reach no
 * Worker exactly as the whole account's would (a shard's table is a subset; the most specific match
 * among its routes is the account's).
 */
export function shardSnapshot(snapshot: Snapshot, scripts: readonly string[], resources: readonly string[]): Snapshot {
  const mine = new Set(scripts);
  const held = new Set(resources);
  const deployed = new Set(snapshot.scripts.map((script) => script.name));
  const routedHere = (script: string | undefined): boolean => script === undefined || mine.has(script) || !deployed.has(script);
  return {
    ...snapshot,
    scripts: snapshot.scripts.filter((script) => mine.has(script.name)),
    routes: snapshot.routes.filter((route) => routedHere(route.script)),
    customDomains: snapshot.customDomains.filter((domain) => routedHere(domain.script)),
    queueConsumers: snapshot.queueConsumers.filter((consumer) => mine.has(consumer.script)),
    ...(snapshot.d1Databases === undefined ? {} : { d1Databases: snapshot.d1Databases.filter((id) => held.has(d1Node(id))) }),
    kvNamespaces: snapshot.kvNamespaces.filter((id) => held.has(kvNode(id))),
    r2Buckets: snapshot.r2Buckets.filter((bucket) => held.has(r2Node(bucket))),
  };
}

/** The part of `snapshot` that `script`'s component makes up: what must start with it, and nothing else. */
export function componentSnapshot(snapshot: Snapshot, script: string): Snapshot {
  const component = components(snapshot).find((candidate) => candidate.scripts.includes(script));
  return shardSnapshot(snapshot, component?.scripts ?? [], component?.resources ?? []);
}
