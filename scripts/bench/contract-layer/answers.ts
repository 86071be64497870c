/**
 * The bench API's answers, the same for every implementation: deterministic and stateless, so load
 * stays flat. No zod here: bare itty-router imports this without bundling a validator.
 */
import type { z } from 'zod';
import type { Item, NewItem, NewOrder, NewReview, Order, Review } from './schemas.ts';

export const answers = {
  item: (id: string): Item => ({ id, name: `item ${id}`, price: 12.5, tags: ['bench'] }),
  items: (limit: number, offset: number) => ({ items: Array.from({ length: Math.min(limit, 5) }, (_, index) => answers.item(String(offset + index))), offset }),
  createdItem: (input: z.infer<typeof NewItem>): Item => ({ id: 'new', ...input }),
  review: (itemId: string, id: string): Review => ({ id, itemId, rating: 4, text: 'good' }),
  reviews: (itemId: string, limit: number) => ({ reviews: Array.from({ length: Math.min(limit, 3) }, (_, index) => answers.review(itemId, String(index))) }),
  createdReview: (itemId: string, input: z.infer<typeof NewReview>): Review => ({ id: 'new', itemId, ...input }),
  orders: (userId: string, status: Order['status'] = 'open') => ({ orders: [{ id: '1', userId, itemId: '7', quantity: 1, status }] }),
  createdOrder: (input: z.infer<typeof NewOrder>): Order => ({ id: 'new', userId: 'me', status: 'open', ...input }),
};

