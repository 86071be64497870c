import { MAX_UNIT_PRICE_CENTS, notificationsContract, ordersContract, usersContract } from '@edgeops/contracts/contracts';
import { withTestFleet } from '@edgeops/scripts/test-fleet';
import { describe, expect, it } from 'vitest';

const fleet = withTestFleet();

const over = fleet.client;

async function newUser(email: string): Promise<string> {
  const created = await over(usersContract).createUser({ body: { email, name: email.split('@')[0]! } });
  if (created.status !== 201) throw new Error(`could not create ${email}: ${created.status}`);
  return created.body.id;
}

const items = [
  { sku: 'tea', quantity: 2, unitPriceCents: 450 },
  { sku: 'cup', quantity: 1, unitPriceCents: 1200 },
];

describe('orders', () => {
  it('creates an order for an existing user, checked through the users service binding', async () => {
    const userId = await newUser('buyer@example.com');
    const created = await over(ordersContract).createOrder({ body: { userId, items } });
    expect(created.status).toBe(201);
    if (created.status !== 201) throw new Error('not created');
    expect(created.body).toMatchObject({ userId, totalCents: 2100, items });
    expect(await over(ordersContract).getOrder({ params: { id: created.body.id } })).toEqual({ status: 200, body: created.body });
  });

  it('refuses an order for an unknown user with 422, and stores nothing', async () => {
    const refused = await over(ordersContract).createOrder({ body: { userId: 'no-such-user', items } });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error: { code: 'unknown_user' } });
    const listed = await over(ordersContract).listOrders({ query: { userId: 'no-such-user', limit: 10 } });
    expect(listed).toEqual({ status: 200, body: { orders: [] } });
  });

  it('lists a user\'s orders newest first', async () => {
    const userId = await newUser('lister@example.com');
    const first = await over(ordersContract).createOrder({ body: { userId, items } });
    const second = await over(ordersContract).createOrder({ body: { userId, items: [items[0]!] } });
    const listed = await over(ordersContract).listOrders({ query: { userId, limit: 10 } });
    if (listed.status !== 200 || first.status !== 201 || second.status !== 201) throw new Error('setup failed');
    expect(listed.body.orders.map((order) => order.id).sort()).toEqual([first.body.id, second.body.id].sort());
  });

  it('answers 404 for an unknown order and 400 for an order without items', async () => {
    expect((await over(ordersContract).getOrder({ params: { id: 'missing' } })).status).toBe(404);
    const response = await fleet.fetch('https://api.example.com/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'x', items: [] }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_request', issues: [{ path: 'body.items' }] } });
  });

  it('takes the largest order its contract allows and lists it, exact to the cent', async () => {
    const userId = await newUser('big-spender@example.com');
    const dearest = Array.from({ length: 100 }, (_, index) => ({ sku: `gold-${index}`, quantity: 1000, unitPriceCents: MAX_UNIT_PRICE_CENTS }));
    const created = await over(ordersContract).createOrder({ body: { userId, items: dearest } });
    expect(created).toMatchObject({ status: 201, body: { totalCents: 100 * 1000 * MAX_UNIT_PRICE_CENTS } });
    expect(await over(ordersContract).listOrders({ query: { userId, limit: 10 } })).toMatchObject({ status: 200, body: { orders: [{ totalCents: 10_000_000_000_000 }] } });
  });

  it('refuses a price whose total would not be an exact integer with 400, and every later list still answers 200', async () => {
    const userId = await newUser('overflow@example.com');
    const response = await fleet.fetch('https://api.example.com/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId, items: [{ sku: 'max-safe', quantity: 2, unitPriceCents: Number.MAX_SAFE_INTEGER }] }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_request', issues: [{ path: 'body.items.0.unitPriceCents' }] } });
    expect((await over(ordersContract).listOrders({ query: { userId, limit: 100 } })).status).toBe(200);
    expect((await over(ordersContract).listOrders({ query: { limit: 100 } })).status).toBe(200);
  });

  it('refuses a userId that cannot travel in the users URL (lone surrogate, dot segments, / or ?) with 400, not a 503 from the users call', async () => {
    for (const userId of ['user-\ud800', '.', '..', 'a/b', '?limit=1']) {
      const response = await fleet.fetch('https://api.example.com/orders', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId, items }),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'invalid_request', issues: [{ path: 'body.userId' }] } });
    }
  });

  it('answers with the caller\'s x-request-id and names it in its errors', async () => {
    const response = await fleet.fetch('https://api.example.com/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'trace-42' },
      body: JSON.stringify({ userId: 'nobody', items }),
    });
    expect(response.headers.get('x-request-id')).toBe('trace-42');
    expect(await response.json()).toMatchObject({ error: { requestId: 'trace-42' } });
  });
});

describe('order → queue → notification', () => {
  it('records a notification for every order created', async () => {
    const userId = await newUser('notify@example.com');
    const created = await over(ordersContract).createOrder({ body: { userId, items } });
    if (created.status !== 201) throw new Error('not created');
    await expect
      .poll(
        async () => {
          const listed = await over(notificationsContract).listNotifications({ query: { userId, limit: 10 } });
          return listed.status === 200 ? listed.body.notifications.map((notification) => notification.orderId) : [];
        },
        { timeout: 15_000, interval: 200 },
      )
      .toEqual([created.body.id]);
  });
});
