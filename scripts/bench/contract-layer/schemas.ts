/**
 * The schemas of the API the contract-layer bench builds three times (our `implement()`, bare
 * itty-router, Hono + its zod validator): 10 routes with path parameters, query strings and JSON
 * bodies. The validating two share them; bare itty-router imports only their types.
 */
import * as z from 'zod';

export const ItemId = z.object({ id: z.string().min(1).max(64) });
export const ReviewParams = z.object({ id: z.string().min(1).max(64), reviewId: z.string().min(1).max(64) });
export const UserParams = z.object({ userId: z.string().min(1).max(64) });
export const Page = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20), offset: z.coerce.number().int().min(0).default(0) });
export const OrderFilter = z.object({ status: z.enum(['open', 'shipped', 'cancelled']).optional() });
export const NewItem = z.object({ name: z.string().min(1).max(200), price: z.number().nonnegative(), tags: z.array(z.string().max(32)).max(10).default([]) });
export const NewReview = z.object({ rating: z.number().int().min(1).max(5), text: z.string().max(2000) });
export const NewOrder = z.object({ itemId: z.string().min(1), quantity: z.number().int().min(1).max(1000) });

export const Item = z.object({ id: z.string(), name: z.string(), price: z.number(), tags: z.array(z.string()) });
export const Review = z.object({ id: z.string(), itemId: z.string(), rating: z.number().int(), text: z.string() });
export const Order = z.object({ id: z.string(), userId: z.string(), itemId: z.string(), quantity: z.number().int(), status: z.enum(['open', 'shipped', 'cancelled']) });
export const ItemList = z.object({ items: z.array(Item), offset: z.number().int() });

export type Item = z.infer<typeof Item>;
export type Review = z.infer<typeof Review>;
export type Order = z.infer<typeof Order>;

