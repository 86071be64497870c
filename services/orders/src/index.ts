import { createClient, HttpError, implement } from '@edgeops/contracts';
import { ordersContract, usersContract } from '@edgeops/contracts/contracts';
import type { Env } from './env.ts';
import { OrderStore } from './store.ts';

export default implement<typeof ordersContract, Env>(ordersContract, {
  async createOrder({ body, env, requestId }) {
    const users = createClient(usersContract, { binding: env.USERS }, { requestId });
    const user = await users.getUser({ params: { id: body.userId } }).catch((error: unknown) => {
      console.error('orders: users.getUser failed:', error);
      throw new HttpError(503, 'users_unavailable', 'The users service could not be reached; try again.');
    });
    if (user.status === 404) {
      return { status: 422, body: { error: { code: 'unknown_user', message: `No user with id ${body.userId}.`, requestId } } };
    }
    if (user.status !== 200) throw new HttpError(503, 'users_unavailable', `The users service answered ${user.status}; try again.`);

    const order = {
      id: crypto.randomUUID(),
      userId: user.body.id,
      items: body.items,
      totalCents: body.items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0),
      createdAt: new Date().toISOString(),
    };
    await new OrderStore(env.DB).insert(order);
    await env.ORDER_EVENTS.send({
      type: 'order.created',
      orderId: order.id,
      userId: order.userId,
      totalCents: order.totalCents,
      createdAt: order.createdAt,
      requestId,
    });
    return { status: 201, body: order };
  },

  async getOrder({ params, env }) {
    const order = await new OrderStore(env.DB).get(params.id);
    return order
      ? { status: 200, body: order }
      : { status: 404, body: { error: { code: 'order_not_found', message: `No order with id ${params.id}.` } } };
  },

  async listOrders({ query, env }) {
    return { status: 200, body: { orders: await new OrderStore(env.DB).list(query.limit, query.userId) } };
  },
});
