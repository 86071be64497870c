import type { CloudflareClient } from '../api/client.ts';
import { listD1Databases, listKvNamespaces, listR2Buckets } from '../api/cloudflare.ts';
import { RESOURCE_KINDS } from '../desired/resource-kinds.ts';
import type { ResourceKind } from '../state/desired.ts';

/** How apply lists each kind of resource (id and name), to find one by name. */
const LISTS: { [K in ResourceKind]: (client: CloudflareClient) => Promise<{ id: string; name: string }[]> } = {
  'kv-namespace': async (client) => (await listKvNamespaces(client)).map((namespace) => ({ id: namespace.id, name: namespace.title })),
  'd1-database': async (client) => (await listD1Databases(client)).map((database) => ({ id: database.uuid, name: database.name })),
  'r2-bucket': async (client) => (await listR2Buckets(client)).map((bucket) => ({ id: bucket.name, name: bucket.name })),
};

/**
 * Resolves KV namespace titles and D1 database names to ids while apply runs: what this apply
 * created (an earlier wave) is known at once; anything else is looked up on the account, one list
 * per kind per apply (the list is read when first needed, after the creating wave).
 */
export class ResourceIds {
  readonly #client: CloudflareClient;
  readonly #known = new Map<string, string>();
  readonly #lists = new Map<ResourceKind, Promise<{ id: string; name: string }[]>>();

  constructor(client: CloudflareClient) {
    this.#client = client;
  }

  remember(kind: ResourceKind, name: string, id: string): void {
    this.#known.set(`${kind}\n${name}`, id);
  }

  /** The id of the resource named `name`, or undefined when the account has none (`fresh` re-reads the list). */
  async find(kind: ResourceKind, name: string, fresh = false): Promise<string | undefined> {
    const known = this.#known.get(`${kind}\n${name}`);
    if (known !== undefined) return known;
    if (fresh || !this.#lists.has(kind)) {
      const list = LISTS[kind](this.#client);
      this.#lists.set(kind, list);
      list.catch(() => this.#lists.delete(kind));
    }
    const found = (await this.#lists.get(kind))?.find((resource) => resource.name === name);
    if (found) this.remember(kind, name, found.id);
    return found?.id;
  }

  async idOf(kind: ResourceKind, name: string): Promise<string> {
    const id = await this.find(kind, name);
    if (id === undefined) throw new Error(`${RESOURCE_KINDS[kind].label} "${name}" does not exist on the account (it was not created by this apply); re-run plan`);
    return id;
  }
}
