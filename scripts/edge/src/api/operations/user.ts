/**
 * Who is calling: the user, the token, and the accounts and memberships the token reaches
 * (`wrangler whoami`, wrangler's account lookup, the official SDKs' auto-pagination). The edge has
 * one user owning one account. Lists honour `page`/`per_page` (5–50, default 20) like Cloudflare's
 * (extract: `GET /accounts`, `/user/tokens/verify`; API docs: `resources/user/methods/get/`,
 * `resources/memberships/methods/list/`; wrangler 4.164: `user/whoami.ts`, `user/membership.ts`,
 * `cfetch/internal.ts` `hasMorePages`).
 */
import { createHash } from 'node:crypto';
import type { AccountRecord } from '../../store/account.ts';
import type { ApiContext, ApiApp } from '../context.ts';
import { ok, paginate } from '../envelope.ts';
import { AUTHOR_EMAIL } from '../versioning.ts';

const ACCOUNT_PAGES = { defaultPerPage: 20, maxPerPage: 50, minPerPage: 5 };

/** A stable 32-hex id derived from the account (the edge stores no separate user or token). */
function derivedId(account: AccountRecord, kind: 'user' | 'token'): string {
  return createHash('sha256').update(`${kind}:${account.id}`).digest('hex').slice(0, 32);
}

function accountResource(account: AccountRecord): Record<string, unknown> {
  return { id: account.id, name: account.name, type: 'standard', settings: { enforce_twofactor: false }, created_on: account.createdOn };
}

function membershipResource(account: AccountRecord): Record<string, unknown> {
  return {
    id: derivedId(account, 'user'),
    account: { id: account.id, name: account.name },
    status: 'accepted',
    roles: ['Super Administrator - All Privileges'],
    permissions: { workers: { read: true, write: true }, zones: { read: true, write: true } },
  };
}

function userResource(account: AccountRecord): Record<string, unknown> {
  return {
    id: derivedId(account, 'user'),
    email: AUTHOR_EMAIL,
    first_name: null,
    last_name: null,
    username: derivedId(account, 'user'),
    telephone: null,
    country: null,
    zipcode: null,
    two_factor_authentication_enabled: false,
    two_factor_authentication_locked: false,
    has_pro_zones: false,
    has_business_zones: false,
    has_enterprise_zones: false,
    suspended: false,
    organizations: [],
    betas: [],
    created_on: account.createdOn,
    modified_on: account.createdOn,
  };
}

export function registerUser(app: ApiApp, { store }: ApiContext): void {
  app.get('/user', (c) => ok(c, userResource(store.state.account)));

  app.get('/user/tokens/verify', (c) => ok(c, { id: derivedId(store.state.account, 'token'), status: 'active' }));

  app.get('/accounts', (c) => {
    const { page, info } = paginate([store.state.account], { page: c.req.query('page'), perPage: c.req.query('per_page') }, ACCOUNT_PAGES);
    return ok(c, page.map(accountResource), info);
  });

  app.get('/memberships', (c) => {
    const { page, info } = paginate([store.state.account], { page: c.req.query('page'), perPage: c.req.query('per_page') }, ACCOUNT_PAGES);
    return ok(c, page.map(membershipResource), info);
  });
}
