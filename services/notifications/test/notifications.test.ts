import { notificationsContract, type OrderCreated } from '@edgeops/contracts/contracts';
import { withTestFleet } from '@edgeops/scripts/test-fleet';
import { describe, expect, it } from 'vitest';

const fleet = withTestFleet();

const notifications = () => fleet.client(notificationsContract);

const event = (orderId: string, userId: string, createdAt: Date): OrderCreated => ({
  type: 'order.created',
  orderId,
  userId,
  totalCents: 1234,
  createdAt: createdAt.toISOString(),
});

async function deliver(messages: unknown[]) {
  const worker = await fleet.worker('notifications');
  const now = new Date();
  return worker.queue(
    'order-events',
    messages.map((body, index) => ({ id: `m-${Date.now()}-${index}-${Math.random()}`, timestamp: now, attempts: 1, body })),
  );
}

async function listFor(userId: string) {
  const listed = await notifications().listNotifications({ query: { userId, limit: 100 } });
  if (listed.status !== 200) throw new Error(`list failed: ${listed.status}`);
  return listed.body.notifications;
}

describe('notifications', () => {
  it('records one notification per order.created message, newest first', async () => {
    const result = await deliver([event('o-1', 'u-queue', new Date(Date.now() - 60_000)), event('o-2', 'u-queue', new Date())]);
    expect(result.outcome).toBe('ok');
    expect((await listFor('u-queue')).map((notification) => notification.orderId)).toEqual(['o-2', 'o-1']);
  });

  it('acknowledges and drops a malformed message instead of retrying it forever', async () => {
    const result = await deliver([{ type: 'order.created', orderId: 42 }]);
    expect(result.outcome).toBe('ok');
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toEqual([]);
  });

  it('prunes notifications older than RETENTION_DAYS on its cron trigger', async () => {
    const old = new Date(Date.now() - 31 * 24 * 60 * 60 * 1000);
    await deliver([event('o-old', 'u-cron', old), event('o-new', 'u-cron', new Date())]);
    expect((await listFor('u-cron')).map((notification) => notification.orderId)).toEqual(['o-new', 'o-old']);
    const worker = await fleet.worker('notifications');
    const cron = fleet.fleet.services.find((service) => service.name === 'notifications')!.config.triggers!.crons[0]!;
    expect((await worker.scheduled({ cron })).outcome).toBe('ok');
    expect((await listFor('u-cron')).map((notification) => notification.orderId)).toEqual(['o-new']);
  });

  it('answers a bad query with 400 and an unknown path with 404', async () => {
    expect((await fleet.fetch('https://api.example.com/notifications?limit=abc')).status).toBe(400);
    expect((await fleet.fetch('https://api.example.com/notifications/nope')).status).toBe(404);
  });
});
