import { httpSampleContract /* @bind contract-imports */ } from '@edgeops/contracts/contracts';
import { withTestFleet } from '@edgeops/scripts/test-fleet';
import { describe, expect, it } from 'vitest';

// The whole fleet runs in workerd, so http-sample is reached on its route and calls the real services it binds.
const fleet = withTestFleet();
const over = fleet.client;
const httpSampleApi = () => over(httpSampleContract);
const raw = fleet.raw;

describe('http-sample: items', () => {
  it('creates an item and reads it back by id', async () => {
    const created = await httpSampleApi().createHttpSampleItem({ body: { name: 'first' } });
    expect(created.status).toBe(201);
    if (created.status !== 201) throw new Error('not created');
    expect(created.body).toMatchObject({ name: 'first' });
    expect(await httpSampleApi().getHttpSampleItem({ params: { id: created.body.id } })).toEqual({ status: 200, body: created.body });
  });

  it('replaces an item\'s fields and keeps its creation time', async () => {
    const created = await httpSampleApi().createHttpSampleItem({ body: { name: 'before' } });
    if (created.status !== 201) throw new Error('not created');
    const updated = await httpSampleApi().updateHttpSampleItem({ params: { id: created.body.id }, body: { name: 'after' } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id: created.body.id, name: 'after', createdAt: created.body.createdAt });
  });

  it('lists items with a page size and a cursor', async () => {
    for (const name of ['a', 'b', 'c']) await httpSampleApi().createHttpSampleItem({ body: { name } });
    const first = await httpSampleApi().listHttpSampleItems({ query: { limit: 2 } });
    if (first.status !== 200) throw new Error('list failed');
    expect(first.body.items).toHaveLength(2);
    expect(first.body.cursor).toBeTypeOf('string');
    const rest = await httpSampleApi().listHttpSampleItems({ query: { limit: 100, cursor: first.body.cursor } });
    if (rest.status !== 200) throw new Error('list failed');
    const ids = [...first.body.items, ...rest.body.items].map((item) => item.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(3);
  });

  it('deletes an item: 204, then 404', async () => {
    const created = await httpSampleApi().createHttpSampleItem({ body: { name: 'gone' } });
    if (created.status !== 201) throw new Error('not created');
    expect(await httpSampleApi().deleteHttpSampleItem({ params: { id: created.body.id } })).toEqual({ status: 204, body: undefined });
    expect((await httpSampleApi().getHttpSampleItem({ params: { id: created.body.id } })).status).toBe(404);
    expect((await httpSampleApi().updateHttpSampleItem({ params: { id: created.body.id }, body: { name: 'x' } })).status).toBe(404);
  });

  it('answers an empty name with 400 naming the field, and an unknown path with 404', async () => {
    const response = await raw('/http-sample', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: '' }) });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_request', issues: [{ path: 'body.name' }] } });
    expect((await raw('/http-sample/a/b/c')).status).toBe(404);
  });
});
// @bind reference-tests
