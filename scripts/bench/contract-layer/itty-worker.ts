/** The bench API on bare itty-router: the same routes and answers, no validation (inputs taken as they come). */
import { Router, type IRequest } from 'itty-router';
import type { z } from 'zod';
import { answers } from './answers.ts';
import type { NewItem, NewOrder, NewReview, Order } from './schemas.ts';

const router = Router<IRequest>();

const json = (body: unknown, status = 200): Response => Response.json(body, { status });
const numberOr = (value: unknown, fallback: number): number => (typeof value === 'string' ? Number(value) : fallback);

router
  .get('/items', ({ query }) => json(answers.items(numberOr(query.limit, 20), numberOr(query.offset, 0))))
  .post('/items', async (request) => json(answers.createdItem((await request.json()) as z.infer<typeof NewItem>), 201))
  .get('/items/:id', ({ params }) => json(answers.item(params.id as string)))
  .put('/items/:id', async (request) => json({ ...((await request.json()) as z.infer<typeof NewItem>), id: request.params.id }))
  .delete('/items/:id', () => new Response(null, { status: 204 }))
  .get('/items/:id/reviews', ({ params, query }) => json(answers.reviews(params.id as string, numberOr(query.limit, 20))))
  .post('/items/:id/reviews', async (request) => json(answers.createdReview(request.params.id as string, (await request.json()) as z.infer<typeof NewReview>), 201))
  .get('/items/:id/reviews/:reviewId', ({ params }) => json(answers.review(params.id as string, params.reviewId as string)))
  .get('/users/:userId/orders', ({ params, query }) => json(answers.orders(params.userId as string, query.status as Order['status'] | undefined)))
  .post('/orders', async (request) => json(answers.createdOrder((await request.json()) as z.infer<typeof NewOrder>), 201))
  .all('*', () => json({ error: 'not found' }, 404));

export default { fetch: (request: Request) => router.fetch(request) };
