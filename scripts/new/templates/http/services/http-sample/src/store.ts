import type { HttpSampleItem } from '@edgeops/contracts/contracts';

const itemKey = (id: string) => `item:${id}`;

/** HttpSample items in KV, one key each, listed in key order with a cursor. */
export class HttpSampleStore {
  constructor(private readonly kv: KVNamespace) {}

  get(id: string): Promise<HttpSampleItem | null> {
    return this.kv.get<HttpSampleItem>(itemKey(id), 'json');
  }

  async put(item: HttpSampleItem): Promise<void> {
    await this.kv.put(itemKey(item.id), JSON.stringify(item));
  }

  async delete(id: string): Promise<void> {
    await this.kv.delete(itemKey(id));
  }

  async list(limit: number, cursor?: string): Promise<{ items: HttpSampleItem[]; cursor?: string }> {
    const page = await this.kv.list({ prefix: 'item:', limit, ...(cursor ? { cursor } : {}) });
    const items = await Promise.all(page.keys.map((key) => this.kv.get<HttpSampleItem>(key.name, 'json')));
    return {
      items: items.filter((item): item is HttpSampleItem => item !== null),
      ...(page.list_complete ? {} : { cursor: page.cursor }),
    };
  }
}
