/**
 * The D1 database registry: list (paged, `?name=` search), create `{name}`, get (by id, or by name
 * as wrangler's provisioning asks), delete. The data plane binds D1 by database id whether or not
 * the id is registered here (configs with hard-coded ids keep working); deleting unregisters it.
 */
import { uuid } from '../../store/ids.ts';
import type { D1DatabaseRecord } from '../../store/d1-databases.ts';
import type { EdgeState } from '../../store/state.ts';
import type { ApiContext, ApiApp } from '../context.ts';
import { ok, paginate } from '../envelope.ts';
import { fail } from '../errors.ts';
import { isRecord, readJsonBody } from '../lookup.ts';

const MAX_NAME_LENGTH = 64;

function databaseResource(database: D1DatabaseRecord): Record<string, unknown> {
  return { uuid: database.uuid, name: database.name, created_at: database.created_at, version: 'production' };
}

function requireDatabase(state: Readonly<EdgeState>, idOrName: string): D1DatabaseRecord {
  return state.d1Databases.find((database) => database.uuid === idOrName || database.name === idOrName) ?? fail('d1DatabaseNotFound', `The database ${idOrName} could not be found`);
}

export function registerD1Databases(app: ApiApp, { store }: ApiContext): void {
  app.get('/accounts/:account_id/d1/database', (c) => {
    const { state } = store;
    const name = c.req.query('name');
    const matching = state.d1Databases.filter((database) => name === undefined || name === '' || database.name.includes(name));
    const { page, info } = paginate(matching, { page: c.req.query('page'), perPage: c.req.query('per_page') }, { defaultPerPage: 1000, maxPerPage: 10000, minPerPage: 10 });
    return ok(c, page.map(databaseResource), info);
  });

  app.post('/accounts/:account_id/d1/database', async (c) => {
    const body = await readJsonBody(c.req.raw);
    const name = isRecord(body) && typeof body.name === 'string' ? body.name : fail('validation', 'the body must be {name: "database name"}');
    if (name.trim() === '' || name.length > MAX_NAME_LENGTH) fail('validation', `a database name must be 1–${MAX_NAME_LENGTH} characters; got ${name.length}`);
    const database = await store.transaction((draft) => {
      if (draft.d1Databases.some((existing) => existing.name === name)) fail('d1DatabaseExists', 'A database with that name already exists');
      const record: D1DatabaseRecord = { uuid: uuid(), name, created_at: new Date().toISOString() };
      draft.d1Databases.push(record);
      return record;
    });
    return ok(c, databaseResource(database));
  });

  app.get('/accounts/:account_id/d1/database/:database_id', (c) => {
    return ok(c, databaseResource(requireDatabase(store.state, c.req.param('database_id'))));
  });

  app.delete('/accounts/:account_id/d1/database/:database_id', async (c) => {
    const id = c.req.param('database_id');
    await store.transaction((draft) => {
      const database = requireDatabase(draft, id);
      draft.d1Databases = draft.d1Databases.filter((candidate) => candidate.uuid !== database.uuid);
    });
    return ok(c, null);
  });
}
