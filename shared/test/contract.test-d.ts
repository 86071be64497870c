import { describe, expectTypeOf, it } from 'vitest';
import { createClient, implement } from '../src/index.ts';
import { ordersContract, usersContract, type User } from '../src/contracts/index.ts';

const fetcher = { fetch: async (request: Request) => new Response(request.body) };

describe('contracts at the type level', () => {
  it('gives a consumer the declared response body for each status', async () => {
    const users = createClient(usersContract, { binding: fetcher });
    const result = await users.getUser({ params: { id: '1' } });
    if (result.status === 200) expectTypeOf(result.body).toEqualTypeOf<User>();
    // @ts-expect-error a consumer reading a field the contract does not declare fails tsc
    if (result.status === 200) void result.body.password;
  });

  it('rejects a consumer passing a wrong body', () => {
    const orders = createClient(ordersContract, { binding: fetcher });
    // @ts-expect-error quantity must be a number
    void orders.createOrder({ body: { userId: 'u', items: [{ sku: 'a', quantity: '2', unitPriceCents: 1 }] } });
    // @ts-expect-error a route with a body needs one
    void orders.createOrder({});
    // @ts-expect-error a path parameter is required
    void orders.getOrder({});
  });

  it('rejects a provider returning the wrong shape or an undeclared status', () => {
    implement(usersContract, {
      // @ts-expect-error createdAt is missing from the User returned
      createUser: ({ body }) => ({ status: 201, body: { id: '1', email: body.email, name: body.name } }),
      listUsers: () => ({ status: 200, body: { users: [] } }),
      // @ts-expect-error 418 is not a status getUser declares
      getUser: () => ({ status: 418, body: { error: { code: 'teapot', message: 'no' } } }),
      deleteUser: () => ({ status: 204, body: undefined }),
    });
  });

  it('types handler inputs from the contract', () => {
    implement(usersContract, {
      createUser: ({ body }) => {
        expectTypeOf(body).toEqualTypeOf<{ email: string; name: string }>();
        return { status: 409, body: { error: { code: 'x', message: 'y' } } };
      },
      listUsers: ({ query }) => {
        expectTypeOf(query.limit).toEqualTypeOf<number>();
        return { status: 200, body: { users: [] } };
      },
      getUser: ({ params }) => {
        expectTypeOf(params.id).toEqualTypeOf<string>();
        return { status: 404, body: { error: { code: 'x', message: 'y' } } };
      },
      deleteUser: () => ({ status: 204, body: undefined }),
    });
  });
});
