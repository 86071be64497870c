/** Custom domains: a whole hostname in a hosted zone attached to a script. */
import { DomainBodySchema, DomainRecordsBodySchema, type Domain } from '../../../../cloudflare/api/domains.ts';
import type { DomainRecord } from '../../store/domains.ts';
import { hexId } from '../../store/ids.ts';
import { zoneForHostname } from '../../store/zones.ts';
import type { EdgeState } from '../../store/state.ts';
import type { ApiContext, ApiApp } from '../context.ts';
import { ok } from '../envelope.ts';
import { fail } from '../errors.ts';
import { requireScript, requireZone } from '../lookup.ts';
import { jsonBody } from '../validate.ts';

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;

function domainResource(domain: DomainRecord): Domain {
  return { id: domain.id, zone_id: domain.zoneId, zone_name: domain.zoneName, hostname: domain.hostname, service: domain.service, environment: domain.environment };
}

const FILTERS: Readonly<Record<string, (domain: DomainRecord, value: string) => boolean>> = {
  zone_name: (domain, value) => domain.zoneName === value,
  zone_id: (domain, value) => domain.zoneId === value,
  service: (domain, value) => domain.service === value,
  hostname: (domain, value) => domain.hostname === value,
  environment: (domain, value) => domain.environment === value,
};

interface OriginInput {
  hostname: string;
  zone_id?: string;
  zone_name?: string;
}

/** Attaches `hostname` to `service` in `draft`, checking the hostname and its zone. */
function attach(draft: EdgeState, origin: OriginInput, service: string, environment: string, overrideExistingOrigin: boolean): DomainRecord {
  const { hostname } = origin;
  if (!HOSTNAME.test(hostname)) fail('validation', `"${hostname}" is not a valid hostname (no wildcards or paths in a custom domain)`);
  const zone = origin.zone_id !== undefined ? requireZone(draft, origin.zone_id) : zoneForHostname(draft.zones, origin.zone_name ?? hostname);
  if (!zone) return fail('zoneNotFound', `No zone on this edge contains ${hostname}; add one with --zone or POST /zones`);
  if (hostname !== zone.name && !hostname.endsWith(`.${zone.name}`)) fail('validation', `hostname ${hostname} is not inside zone ${zone.name}`);
  const existing = draft.domains.find((candidate) => candidate.hostname === hostname);
  if (existing) {
    if (existing.service !== service && !overrideExistingOrigin) fail('domainTaken', `Custom domain ${hostname} already points to Worker "${existing.service}"; set override_existing_origin to move it`);
    existing.service = service;
    existing.environment = environment;
    return existing;
  }
  const record: DomainRecord = { id: hexId(), hostname, service, environment, zoneId: zone.id, zoneName: zone.name };
  draft.domains.push(record);
  return record;
}

export function registerDomains(app: ApiApp, { store }: ApiContext): void {
  app.put('/accounts/:account_id/workers/scripts/:script_name/domains/records', jsonBody(DomainRecordsBodySchema), async (c) => {
    const service = c.req.param('script_name');
    const body = c.req.valid('json');
    const origins = body.origins.map((origin): OriginInput => ({ ...origin, hostname: origin.hostname.toLowerCase() }));
    const overrideScope = body.override_scope === true;
    const overrideExistingOrigin = body.override_existing_origin === true;
    const domains = await store.transaction((draft) => {
      requireScript(draft, service);
      const attached = origins.map((origin) => attach(draft, origin, service, 'production', overrideExistingOrigin));
      if (overrideScope) draft.domains = draft.domains.filter((domain) => domain.service !== service || attached.some((kept) => kept.id === domain.id));
      return attached;
    });
    return ok(c, domains.map(domainResource));
  });

  app.get('/accounts/:account_id/workers/domains/records/:domain_id', (c) => {
    const { state } = store;
    const id = c.req.param('domain_id');
    const domain = state.domains.find((candidate) => candidate.id === id) ?? fail('domainNotFound', `Custom domain ${id} was not found`);
    return ok(c, domainResource(domain));
  });

  app.get('/accounts/:account_id/workers/domains', (c) => {
    const { state } = store;
    const query = c.req.query();
    const domains = state.domains.filter((domain) => Object.entries(FILTERS).every(([key, matches]) => query[key] === undefined || matches(domain, query[key] ?? '')));
    return ok(c, domains.map(domainResource));
  });

  app.put('/accounts/:account_id/workers/domains', jsonBody(DomainBodySchema), async (c) => {
    const body = c.req.valid('json');
    const { service, environment } = body;
    const origin: OriginInput = {
      hostname: body.hostname.toLowerCase(),
      ...(body.zone_id !== undefined ? { zone_id: body.zone_id } : {}),
      ...(body.zone_name !== undefined ? { zone_name: body.zone_name } : {}),
    };
    const domain = await store.transaction((draft) => {
      requireScript(draft, service);
      return attach(draft, origin, service, environment, true);
    });
    return ok(c, domainResource(domain));
  });

  app.get('/accounts/:account_id/workers/domains/:domain_id', (c) => {
    const { state } = store;
    const id = c.req.param('domain_id');
    const domain = state.domains.find((candidate) => candidate.id === id) ?? fail('domainNotFound', `Custom domain ${id} was not found`);
    return ok(c, domainResource(domain));
  });

  app.delete('/accounts/:account_id/workers/domains/:domain_id', async (c) => {
    const id = c.req.param('domain_id');
    await store.transaction((draft) => {
      if (!draft.domains.some((candidate) => candidate.id === id)) fail('domainNotFound', `Custom domain ${id} was not found`);
      draft.domains = draft.domains.filter((candidate) => candidate.id !== id);
    });
    return ok(c, null);
  });
}
