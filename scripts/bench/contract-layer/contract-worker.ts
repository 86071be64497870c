/** The bench API as a contract served by our `implement()`: requests and responses validated. */
import * as z from 'zod';
import { defineContract, implement, route } from '@edgeops/contracts';
import { answers } from './answers.ts';
import { Item, ItemId, ItemList, NewItem, NewOrder, NewReview, Order, OrderFilter, Page, Review, ReviewParams, UserParams } from './schemas.ts';

export const benchContract = defineContract({
  service: 'bench',
  routes: {
    listItems: route({ method: 'GET', path: '/items', query: Page, responses: { 200: ItemList } }),
    createItem: route({ method: 'POST', path: '/items', body: NewItem, responses: { 201: Item } }),
    getItem: route({ method: 'GET', path: '/items/:id', params: ItemId, responses: { 200: Item } }),
    replaceItem: route({ method: 'PUT', path: '/items/:id', params: ItemId, body: NewItem, responses: { 200: Item } }),
    deleteItem: route({ method: 'DELETE', path: '/items/:id', params: ItemId, responses: { 204: null } }),
    listReviews: route({ method: 'GET', path: '/items/:id/reviews', params: ItemId, query: Page, responses: { 200: z.object({ reviews: z.array(Review) }) } }),
    createReview: route({ method: 'POST', path: '/items/:id/reviews', params: ItemId, body: NewReview, responses: { 201: Review } }),
    getReview: route({ method: 'GET', path: '/items/:id/reviews/:reviewId', params: ReviewParams, responses: { 200: Review } }),
    listOrders: route({ method: 'GET', path: '/users/:userId/orders', params: UserParams, query: OrderFilter, responses: { 200: z.object({ orders: z.array(Order) }) } }),
    createOrder: route({ method: 'POST', path: '/orders', body: NewOrder, responses: { 201: Order } }),
  },
});

export default implement(benchContract, {
  listItems: ({ query }) => ({ status: 200, body: answers.items(query.limit, query.offset) }),
  createItem: ({ body }) => ({ status: 201, body: answers.createdItem(body) }),
  getItem: ({ params }) => ({ status: 200, body: answers.item(params.id) }),
  replaceItem: ({ params, body }) => ({ status: 200, body: { ...body, id: params.id } }),
  deleteItem: () => ({ status: 204, body: undefined }),
  listReviews: ({ params, query }) => ({ status: 200, body: answers.reviews(params.id, query.limit) }),
  createReview: ({ params, body }) => ({ status: 201, body: answers.createdReview(params.id, body) }),
  getReview: ({ params }) => ({ status: 200, body: answers.review(params.id, params.reviewId) }),
  listOrders: ({ params, query }) => ({ status: 200, body: answers.orders(params.userId, query.status) }),
  createOrder: ({ body }) => ({ status: 201, body: answers.createdOrder(body) }),
});
