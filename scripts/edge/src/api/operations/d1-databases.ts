/**
 * D1 databases: the named-resource operations (list paged with `?name=` search, create `{name}`,
 * get by id, or by name as wrangler's provisioning asks, delete). The data plane binds D1 by
 * database id whether or not the id is registered here (configs with hard-coded ids keep
 * working); deleting unregisters it.
 */
import { D1DatabaseBodySchema, type D1Database, type D1DatabaseBody } from '../../../../cloudflare/api/d1-databases.ts';
import type { D1DatabaseRecord } from '../../store/d1-databases.ts';
import { uuid } from '../../store/ids.ts';
import { namedPlace, namedResourceOperations, type NamedResourceKind } from '../named-resource.ts';

function databaseResource(database: D1DatabaseRecord): D1Database {
  return { uuid: database.uuid, name: database.name, created_at: database.created_at, version: 'production' };
}

export const D1_DATABASES: NamedResourceKind<D1DatabaseRecord, D1DatabaseBody> = {
  ...namedPlace('d1Databases'),
  createBody: D1DatabaseBodySchema,
  create: (body, now) => ({ uuid: uuid(), name: body.name, created_at: now }),
  identifiedBy: (database, id) => database.uuid === id || database.name === id,
  show: (_state, database) => databaseResource(database),
  list: {
    select: (databases, c) => {
      const name = c.req.query('name');
      return name === undefined || name === '' ? databases : databases.filter((database) => database.name.includes(name));
    },
  },
  /** wrangler `d1 create` checks this code. */
  exists: { error: 'd1DatabaseExists', message: () => 'A database with that name already exists' },
  /** wrangler's provisioning treats this code as "missing". */
  notFound: { error: 'd1DatabaseNotFound', message: (id) => `The database ${id} could not be found` },
};

export const registerD1Databases = namedResourceOperations(D1_DATABASES);
