import type { Notification } from '@edgeops/contracts/contracts';

/** Keys sort newest first: a descending timestamp, then the id. */
const MAX_TIME = 9_999_999_999_999;
const keyOf = (notification: Notification) =>
  `n:${String(MAX_TIME - Date.parse(notification.createdAt)).padStart(13, '0')}:${notification.id}`;

/** Notifications in KV, listed newest first. */
export class NotificationStore {
  constructor(private readonly kv: KVNamespace) {}

  put(notification: Notification): Promise<void> {
    return this.kv.put(keyOf(notification), JSON.stringify(notification));
  }

  async *all(): AsyncGenerator<{ key: string; notification: Notification }> {
    let cursor: string | undefined;
    do {
      const page = await this.kv.list({ prefix: 'n:', ...(cursor ? { cursor } : {}) });
      for (const key of page.keys) {
        const notification = await this.kv.get<Notification>(key.name, 'json');
        if (notification) yield { key: key.name, notification };
      }
      cursor = page.list_complete ? undefined : page.cursor;
    } while (cursor);
  }

  async recent(limit: number, userId?: string): Promise<Notification[]> {
    const found: Notification[] = [];
    for await (const { notification } of this.all()) {
      if (userId && notification.userId !== userId) continue;
      found.push(notification);
      if (found.length >= limit) break;
    }
    return found;
  }

  /** Deletes every notification created before `cutoff`; returns how many. */
  async pruneBefore(cutoff: Date): Promise<number> {
    let pruned = 0;
    for await (const { key, notification } of this.all()) {
      if (Date.parse(notification.createdAt) < cutoff.getTime()) {
        await this.kv.delete(key);
        pruned++;
      }
    }
    return pruned;
  }
}
