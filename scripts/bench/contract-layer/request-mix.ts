/** One request per route of the bench API, with the status each implementation must answer: the load mix. */
export const REQUEST_MIX: { method: string; path: string; body?: unknown; status: number }[] = [
  { method: 'GET', path: '/items?limit=5&offset=10', status: 200 },
  { method: 'POST', path: '/items', body: { name: 'lamp', price: 30, tags: ['home'] }, status: 201 },
  { method: 'GET', path: '/items/42', status: 200 },
  { method: 'PUT', path: '/items/42', body: { name: 'lamp', price: 35, tags: [] }, status: 200 },
  { method: 'DELETE', path: '/items/42', status: 204 },
  { method: 'GET', path: '/items/42/reviews?limit=3&offset=0', status: 200 },
  { method: 'POST', path: '/items/42/reviews', body: { rating: 5, text: 'bright' }, status: 201 },
  { method: 'GET', path: '/items/42/reviews/7', status: 200 },
  { method: 'GET', path: '/users/u1/orders?status=open', status: 200 },
  { method: 'POST', path: '/orders', body: { itemId: '42', quantity: 2 }, status: 201 },
];
