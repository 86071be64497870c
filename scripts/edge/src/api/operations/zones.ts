/** Zones the edge hosts (`GET/POST /zones`); the account and user are in user.ts. */
import { ZoneBodySchema } from '../../../../cloudflare/api/zones.ts';
import type { AccountRecord } from '../../store/account.ts';
import { zoneId } from '../../store/ids.ts';
import type { ZoneRecord } from '../../store/zones.ts';
import type { ApiContext, ApiApp } from '../context.ts';
import { ok, paginate } from '../envelope.ts';
import { fail } from '../errors.ts';
import { jsonBody } from '../validate.ts';

export const ZONE_NAME = /^([a-zA-Z0-9][-a-zA-Z0-9]*\.)+[-a-zA-Z0-9]{2,20}$/;

function zoneResource(zone: ZoneRecord, account: AccountRecord): Record<string, unknown> {
  return {
    id: zone.id,
    name: zone.name,
    status: 'active',
    paused: false,
    type: 'full',
    development_mode: 0,
    name_servers: ['ns1.edgeops.local', 'ns2.edgeops.local'],
    original_name_servers: null,
    original_registrar: null,
    original_dnshost: null,
    created_on: zone.createdOn,
    modified_on: zone.createdOn,
    activated_on: zone.createdOn,
    meta: { step: 4, custom_certificate_quota: 0, page_rule_quota: 3, phishing_detected: false },
    owner: { id: account.id, type: 'user', email: 'edge@edgeops.local' },
    account: { id: account.id, name: account.name },
    permissions: ['#worker:read', '#worker:edit'],
    plan: { id: 'free', name: 'Free Website', price: 0, currency: 'USD', frequency: '', is_subscribed: false, can_subscribe: false, legacy_id: 'free', legacy_discount: false, externally_managed: false },
  };
}

/** Cloudflare's `name` filter: `equal` by default, or `op:value` with one of these operators. */
const NAME_FILTERS: Readonly<Record<string, (name: string, value: string) => boolean>> = {
  equal: (name, value) => name === value.toLowerCase(),
  not_equal: (name, value) => name !== value.toLowerCase(),
  starts_with: (name, value) => name.startsWith(value.toLowerCase()),
  ends_with: (name, value) => name.endsWith(value.toLowerCase()),
  contains: (name, value) => name.includes(value.toLowerCase()),
};

function matchesName(name: string, filter: string): boolean {
  const separator = filter.indexOf(':');
  const operator = separator === -1 ? undefined : NAME_FILTERS[filter.slice(0, separator)];
  return operator ? operator(name, filter.slice(separator + 1)) : name === filter.toLowerCase();
}

export function registerZones(app: ApiApp, { store }: ApiContext): void {
  app.get('/zones', (c) => {
    const { state } = store;
    const name = c.req.query('name');
    const accountId = c.req.query('account.id');
    const zones = state.zones.filter((zone) => (name === undefined || matchesName(zone.name, name)) && (accountId === undefined || accountId === state.account.id));
    const { page, info } = paginate(zones, { page: c.req.query('page'), perPage: c.req.query('per_page') }, { defaultPerPage: 20, maxPerPage: 50, minPerPage: 5 });
    return ok(c, page.map((zone) => zoneResource(zone, state.account)), info);
  });

  app.get('/zones/:zone_id', (c) => {
    const { state } = store;
    const id = c.req.param('zone_id');
    const zone = state.zones.find((candidate) => candidate.id === id) ?? fail('zoneNotFound', `Zone ${id} does not exist on this edge`);
    return ok(c, zoneResource(zone, state.account));
  });

  app.post('/zones', jsonBody(ZoneBodySchema), async (c) => {
    const body = c.req.valid('json');
    const name = body.name.toLowerCase();
    if (!ZONE_NAME.test(name)) fail('invalidZoneName', `"${body.name}" is not a valid domain name`);
    if (body.account?.id !== undefined && body.account.id !== store.state.account.id) fail('forbidden', `the token is not valid for account ${body.account.id}`);
    const zone = await store.transaction((draft) => {
      if (draft.zones.some((existing) => existing.name === name)) fail('zoneExists', `${name} already exists`);
      const record: ZoneRecord = { id: zoneId(name), name, createdOn: new Date().toISOString() };
      draft.zones.push(record);
      return record;
    });
    return ok(c, zoneResource(zone, store.state.account));
  });
}
