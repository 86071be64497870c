import { implement } from '@edgeops/contracts';
import { usersContract } from '@edgeops/contracts/contracts';
import type { Env } from './env.ts';
import { UserStore } from './store.ts';
import { allowSignup } from './signup-limiter.ts';

export { SignupLimiter } from './signup-limiter.ts';

const notFound = (id: string) => ({ status: 404 as const, body: { error: { code: 'user_not_found', message: `No user with id ${id}.` } } });

export default implement<typeof usersContract, Env>(usersContract, {
  async createUser({ body, env }) {
    if (!(await allowSignup(env, body.email))) {
      return { status: 429, body: { error: { code: 'rate_limited', message: `Too many sign-up attempts for ${body.email}; try again later.` } } };
    }
    const store = new UserStore(env.USERS);
    if (await store.emailTaken(body.email)) {
      return { status: 409, body: { error: { code: 'email_taken', message: `${body.email} already has a user.` } } };
    }
    const user = { id: crypto.randomUUID(), email: body.email, name: body.name, createdAt: new Date().toISOString() };
    await store.put(user);
    return { status: 201, body: user };
  },

  async listUsers({ query, env }) {
    return { status: 200, body: await new UserStore(env.USERS).list(query.limit, query.cursor) };
  },

  async getUser({ params, env }) {
    const user = await new UserStore(env.USERS).get(params.id);
    return user ? { status: 200, body: user } : notFound(params.id);
  },

  async deleteUser({ params, env }) {
    const store = new UserStore(env.USERS);
    const user = await store.get(params.id);
    if (!user) return notFound(params.id);
    await store.delete(user);
    return { status: 204, body: undefined };
  },
});
