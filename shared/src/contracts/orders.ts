import * as z from 'zod';
import { defineContract } from '../contract.ts';
import { route } from '../route.ts';
import { ErrorBody } from '../errors.ts';
import { IdParams, PageLimit } from '../params.ts';

/** $1,000,000: the dearest item an order takes, so a total (≤ 100 items × 1,000 × this) stays an exact integer. */
export const MAX_UNIT_PRICE_CENTS = 100_000_000;

export const OrderItem = z.object({
  sku: z.string().min(1).max(64),
  quantity: z.number().int().min(1).max(1000),
  unitPriceCents: z.number().int().min(0),
});

/** An item as a new order gives it: priced within bounds (orders stored before the bound keep theirs). */
export const NewOrderItem = OrderItem.extend({ unitPriceCents: z.number().int().min(0).max(MAX_UNIT_PRICE_CENTS) });

export const Order = z.object({
  id: z.string(),
  userId: z.string(),
  items: z.array(OrderItem).min(1),
  totalCents: z.number().int().min(0),
  createdAt: z.iso.datetime(),
});
export type Order = z.infer<typeof Order>;

/**
 * A user id as orders passes it on in the users service's URL: letters, digits, `-` and `_` (users
 * hands out UUIDs). `.`, `..`, `/`, `?` or a lone surrogate would make `GET /users/{id}` another
 * request, or none.
 */
export const UserIdReference = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'a user id: letters, digits, - and _');

export const NewOrder = z.object({
  userId: UserIdReference,
  items: z.array(NewOrderItem).min(1).max(100),
});

/** Published to the `order-events` queue when an order is created. */
export const OrderCreated = z.object({
  type: z.literal('order.created'),
  orderId: z.string(),
  userId: z.string(),
  totalCents: z.number().int(),
  createdAt: z.iso.datetime(),
  requestId: z.string().optional(),
});
export type OrderCreated = z.infer<typeof OrderCreated>;

export const ordersContract = defineContract({
  service: 'orders',
  routes: {
    createOrder: route({
      method: 'POST',
      path: '/orders',
      body: NewOrder,
      responses: { 201: Order, 422: ErrorBody },
      summary: 'Create an order for an existing user; 422 if the user does not exist',
    }),
    getOrder: route({ method: 'GET', path: '/orders/:id', params: IdParams, responses: { 200: Order, 404: ErrorBody } }),
    listOrders: route({
      method: 'GET',
      path: '/orders',
      query: z.object({ userId: z.string().min(1).optional(), limit: PageLimit }),
      responses: { 200: z.object({ orders: z.array(Order) }) },
    }),
  },
  events: { orderCreated: OrderCreated },
});
