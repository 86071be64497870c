/** The bench API on Hono with @hono/zod-validator: the same routes, schemas and answers. */
import { zValidator } from '@hono/zod-validator';
import { Hono } from 'hono';
import { answers } from './answers.ts';
import { ItemId, NewItem, NewOrder, NewReview, OrderFilter, Page, ReviewParams, UserParams } from './schemas.ts';

const app = new Hono()
  .get('/items', zValidator('query', Page), (c) => {
    const query = c.req.valid('query');
    return c.json(answers.items(query.limit, query.offset));
  })
  .post('/items', zValidator('json', NewItem), (c) => c.json(answers.createdItem(c.req.valid('json')), 201))
  .get('/items/:id', zValidator('param', ItemId), (c) => c.json(answers.item(c.req.valid('param').id)))
  .put('/items/:id', zValidator('param', ItemId), zValidator('json', NewItem), (c) => c.json({ ...c.req.valid('json'), id: c.req.valid('param').id }))
  .delete('/items/:id', zValidator('param', ItemId), (c) => c.body(null, 204))
  .get('/items/:id/reviews', zValidator('param', ItemId), zValidator('query', Page), (c) => c.json(answers.reviews(c.req.valid('param').id, c.req.valid('query').limit)))
  .post('/items/:id/reviews', zValidator('param', ItemId), zValidator('json', NewReview), (c) => c.json(answers.createdReview(c.req.valid('param').id, c.req.valid('json')), 201))
  .get('/items/:id/reviews/:reviewId', zValidator('param', ReviewParams), (c) => {
    const params = c.req.valid('param');
    return c.json(answers.review(params.id, params.reviewId));
  })
  .get('/users/:userId/orders', zValidator('param', UserParams), zValidator('query', OrderFilter), (c) => c.json(answers.orders(c.req.valid('param').userId, c.req.valid('query').status)))
  .post('/orders', zValidator('json', NewOrder), (c) => c.json(answers.createdOrder(c.req.valid('json')), 201));

export default app;
