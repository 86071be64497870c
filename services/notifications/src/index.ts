import { implement, validate } from '@edgeops/contracts';
import { notificationsContract, OrderCreated } from '@edgeops/contracts/contracts';
import type { Env } from './env.ts';
import { NotificationStore } from './store.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

const api = implement<typeof notificationsContract, Env>(notificationsContract, {
  async listNotifications({ query, env }) {
    return { status: 200, body: { notifications: await new NotificationStore(env.NOTIFICATIONS).recent(query.limit, query.userId) } };
  },
});

export default {
  fetch: api.fetch,

  /** `order-events`: one notification per valid `order.created`; a malformed message is dropped and logged, not retried. */
  async queue(batch, env) {
    const store = new NotificationStore(env.NOTIFICATIONS);
    for (const message of batch.messages) {
      const event = await validate(OrderCreated, message.body);
      if (!event.ok) {
        console.error(`notifications: dropping malformed message ${message.id}:`, JSON.stringify(event.issues));
        message.ack();
        continue;
      }
      await store.put({
        id: message.id,
        userId: event.value.userId,
        kind: 'order.created',
        orderId: event.value.orderId,
        message: `Order ${event.value.orderId} was placed (total ${(event.value.totalCents / 100).toFixed(2)}).`,
        createdAt: event.value.createdAt,
      });
      message.ack();
    }
  },

  /** Cron: prunes notifications older than RETENTION_DAYS. */
  async scheduled(_controller, env) {
    const days = Number(env.RETENTION_DAYS) || 30;
    const pruned = await new NotificationStore(env.NOTIFICATIONS).pruneBefore(new Date(Date.now() - days * DAY_MS));
    console.log(`notifications: pruned ${pruned} older than ${days} days`);
  },
} satisfies ExportedHandler<Env, unknown>;
