/**
 * Routes: the zone routes API (`/zones/{z}/workers/routes`) and the script-level bulk
 * `PUT …/scripts/{s}/routes` wrangler uses, which replaces that script's routes.
 */
import type { Context } from 'hono';
import { RouteBodySchema, ScriptRoutesBodySchema, type Route, type RouteBody } from '../../../../cloudflare/api/routes.ts';
import { hexId } from '../../store/ids.ts';
import type { RouteRecord } from '../../store/routes.ts';
import type { EdgeState } from '../../store/state.ts';
import { zoneForHostname, type ZoneRecord } from '../../store/zones.ts';
import type { ApiContext, ApiApp } from '../context.ts';
import { ok } from '../envelope.ts';
import { fail } from '../errors.ts';
import { findScript, requireScript, requireZone } from '../lookup.ts';
import { checkRoutePattern, patternHost } from '../route-pattern.ts';
import { jsonBody } from '../validate.ts';

function routeResource(route: RouteRecord): Route {
  return { id: route.id, pattern: route.pattern, ...(route.script ? { script: route.script } : {}) };
}

/** A route body's script: empty or null means a route without a Worker. */
function routeScript(body: RouteBody): string | undefined {
  return body.script === null || body.script === undefined || body.script === '' ? undefined : body.script;
}

function checkRouteScript(state: Readonly<EdgeState>, script: string | undefined): void {
  if (script !== undefined && !findScript(state, script)) fail('routeScriptMissing', `Route points to Worker "${script}", which does not exist on your account`);
}

function checkUnique(state: Readonly<EdgeState>, zoneId: string, pattern: string, exceptId?: string): void {
  const holder = state.routes.find((route) => route.zoneId === zoneId && route.pattern === pattern && route.id !== exceptId);
  if (holder) fail('routeTaken', `A route with pattern "${pattern}" already exists in this zone${holder.script ? ` and is assigned to Worker "${holder.script}"` : ''}`);
}

function zoneForScriptRoute(state: Readonly<EdgeState>, entry: { zone_id?: string | undefined; zone_name?: string | undefined }, pattern: string): ZoneRecord {
  if (entry.zone_id !== undefined) return requireZone(state, entry.zone_id);
  const name = entry.zone_name ?? patternHost(pattern);
  return zoneForHostname(state.zones, name) ?? fail('invalidRoutePattern', `Route pattern "${pattern}" is not inside any zone this edge hosts (zones: ${state.zones.map((zone) => zone.name).join(', ') || 'none'}); add one with --zone or POST /zones`);
}

/** Route `id` of `zone`, or the API's route-not-found error. */
function requireRoute(state: Readonly<EdgeState>, zone: ZoneRecord, id: string): RouteRecord {
  return state.routes.find((candidate) => candidate.zoneId === zone.id && candidate.id === id) ?? fail('routeNotFound', `Route ${id} was not found in zone ${zone.name}`);
}

/** The answer listing the routes `keep` selects. */
function routeList(c: Context, state: Readonly<EdgeState>, keep: (route: RouteRecord) => boolean): Response {
  return ok(c, state.routes.filter(keep).map(routeResource));
}

export function registerRoutes(app: ApiApp, { store }: ApiContext): void {
  app.get('/zones/:zone_id/workers/routes', (c) => {
    const zone = requireZone(store.state, c.req.param('zone_id'));
    return routeList(c, store.state, (route) => route.zoneId === zone.id);
  });

  app.post('/zones/:zone_id/workers/routes', jsonBody(RouteBodySchema), async (c) => {
    const body = c.req.valid('json');
    const script = routeScript(body);
    const route = await store.transaction((draft) => {
      const zone = requireZone(draft, c.req.param('zone_id'));
      const pattern = checkRoutePattern(body.pattern, zone.name);
      checkRouteScript(draft, script);
      checkUnique(draft, zone.id, pattern);
      const record: RouteRecord = { id: hexId(), zoneId: zone.id, pattern, ...(script !== undefined ? { script } : {}) };
      draft.routes.push(record);
      return record;
    });
    return ok(c, routeResource(route));
  });

  app.get('/zones/:zone_id/workers/routes/:route_id', (c) => {
    const { state } = store;
    const zone = requireZone(state, c.req.param('zone_id'));
    return ok(c, routeResource(requireRoute(state, zone, c.req.param('route_id'))));
  });

  app.put('/zones/:zone_id/workers/routes/:route_id', jsonBody(RouteBodySchema), async (c) => {
    const body = c.req.valid('json');
    const script = routeScript(body);
    const route = await store.transaction((draft) => {
      const zone = requireZone(draft, c.req.param('zone_id'));
      const id = c.req.param('route_id');
      const record = requireRoute(draft, zone, id);
      const pattern = checkRoutePattern(body.pattern, zone.name);
      checkRouteScript(draft, script);
      checkUnique(draft, zone.id, pattern, id);
      record.pattern = pattern;
      if (script !== undefined) record.script = script;
      else delete record.script;
      return record;
    });
    return ok(c, routeResource(route));
  });

  app.delete('/zones/:zone_id/workers/routes/:route_id', async (c) => {
    const id = c.req.param('route_id');
    await store.transaction((draft) => {
      const zone = requireZone(draft, c.req.param('zone_id'));
      requireRoute(draft, zone, id);
      draft.routes = draft.routes.filter((candidate) => candidate.id !== id);
    });
    return ok(c, { id });
  });

  app.get('/accounts/:account_id/workers/scripts/:script_name/routes', (c) => {
    const script = requireScript(store.state, c.req.param('script_name'));
    return routeList(c, store.state, (route) => route.script === script.name);
  });

  app.put('/accounts/:account_id/workers/scripts/:script_name/routes', jsonBody(ScriptRoutesBodySchema), async (c) => {
    const name = c.req.param('script_name');
    const body = c.req.valid('json');
    const routes = await store.transaction((draft) => {
      requireScript(draft, name);
      const wanted: { zone: ZoneRecord; pattern: string }[] = [];
      body.forEach((entry, index) => {
        if (entry.custom_domain === true) fail('validation', `routes[${index}] is a custom domain; attach it with PUT /accounts/{account_id}/workers/domains`);
        const { pattern } = entry;
        const zone = zoneForScriptRoute(draft, entry, pattern);
        checkRoutePattern(pattern, zone.name);
        if (wanted.some((other) => other.zone.id === zone.id && other.pattern === pattern)) fail('validation', `route pattern "${pattern}" is listed twice`);
        wanted.push({ zone, pattern });
      });
      for (const { zone, pattern } of wanted) {
        const holder = draft.routes.find((route) => route.zoneId === zone.id && route.pattern === pattern);
        if (holder?.script !== undefined && holder.script !== name) fail('routeTaken', `The route "${pattern}" is already assigned to Worker "${holder.script}"`);
      }
      const kept = draft.routes.filter((route) => route.script !== name && !wanted.some((w) => w.zone.id === route.zoneId && w.pattern === route.pattern));
      const previous = draft.routes.filter((route) => route.script === name);
      const next = wanted.map(({ zone, pattern }): RouteRecord => {
        const reused = previous.find((route) => route.zoneId === zone.id && route.pattern === pattern);
        return { id: reused?.id ?? hexId(), zoneId: zone.id, pattern, script: name };
      });
      draft.routes = [...kept, ...next];
      return next;
    });
    return ok(c, routes.map(routeResource));
  });
}
