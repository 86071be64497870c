import { implement } from '@edgeops/contracts';
import { httpSampleContract } from '@edgeops/contracts/contracts';
import type { Env } from './env.ts';
// @bind import-references
import { HttpSampleStore } from './store.ts';

const notFound = (id: string) => ({ status: 404 as const, body: { error: { code: 'http_sample_item_not_found', message: `No http sample item with id ${id}.` } } });

export default implement<typeof httpSampleContract, Env>(httpSampleContract, {
  async createHttpSampleItem({ body, env /* @bind request-id */ }) {
    // @bind check-references
    const now = new Date().toISOString();
    const item = { id: crypto.randomUUID(), ...body, createdAt: now, updatedAt: now };
    await new HttpSampleStore(env.HTTP_SAMPLE).put(item);
    return { status: 201, body: item };
  },

  async listHttpSampleItems({ query, env }) {
    return { status: 200, body: await new HttpSampleStore(env.HTTP_SAMPLE).list(query.limit, query.cursor) };
  },

  async getHttpSampleItem({ params, env }) {
    const item = await new HttpSampleStore(env.HTTP_SAMPLE).get(params.id);
    return item ? { status: 200, body: item } : notFound(params.id);
  },

  async updateHttpSampleItem({ params, body, env /* @bind request-id */ }) {
    const store = new HttpSampleStore(env.HTTP_SAMPLE);
    const existing = await store.get(params.id);
    if (!existing) return notFound(params.id);
    // @bind check-references
    const item = { id: existing.id, ...body, createdAt: existing.createdAt, updatedAt: new Date().toISOString() };
    await store.put(item);
    return { status: 200, body: item };
  },

  async deleteHttpSampleItem({ params, env }) {
    const store = new HttpSampleStore(env.HTTP_SAMPLE);
    if (!(await store.get(params.id))) return notFound(params.id);
    await store.delete(params.id);
    return { status: 204, body: undefined };
  },
});
