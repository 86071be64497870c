/**
 * Tails: `POST …/workers/scripts/{s}/tails` (body `{filters}`) answers `{id, url, expires_at}`, the
 * WebSocket wrangler then opens with subprotocol `trace-v1`; `DELETE …/tails/{id}` ends it;
 * `GET …/tails` lists them. Shapes as wrangler's `src/tail/createTail.ts` reads them
 * (github.com/cloudflare/workers-sdk, packages/wrangler) and Cloudflare's API reference
 * (https://developers.cloudflare.com/api/resources/workers/subresources/scripts/subresources/tail/).
 */
import { CreateTailBodySchema } from '../../tail/tail-filters.ts';
import { TAIL_SOCKET_PATH, type TailSession } from '../../tail/tail-sessions.ts';
import type { ApiApp, ApiContext } from '../context.ts';
import { ok } from '../envelope.ts';
import { fail } from '../errors.ts';
import { requireScript } from '../lookup.ts';
import { jsonBody } from '../validate.ts';

function tailResource(session: TailSession, requestUrl: string): Record<string, unknown> {
  const url = new URL(requestUrl);
  const scheme = url.protocol === 'https:' ? 'wss' : 'ws';
  return { id: session.id, url: `${scheme}://${url.host}${TAIL_SOCKET_PATH}${session.id}`, expires_at: session.expiresAt };
}

export function registerTail(app: ApiApp, { store, tails }: ApiContext): void {
  const sessions = () => tails ?? fail('internal', 'this edge was started without tails');

  app.post('/accounts/:account_id/workers/scripts/:script_name/tails', jsonBody(CreateTailBodySchema), (c) => {
    const script = requireScript(store.state, c.req.param('script_name'));
    return ok(c, tailResource(sessions().create(script.name, c.req.valid('json').filters), c.req.url));
  });

  app.get('/accounts/:account_id/workers/scripts/:script_name/tails', (c) => {
    const script = requireScript(store.state, c.req.param('script_name'));
    return ok(c, sessions().list(script.name).map((session) => tailResource(session, c.req.url)));
  });

  app.delete('/accounts/:account_id/workers/scripts/:script_name/tails/:id', (c) => {
    const name = c.req.param('script_name');
    requireScript(store.state, name);
    if (!sessions().delete(name, c.req.param('id'))) fail('noRoute', `No tail ${c.req.param('id')} on the Worker "${name}"`);
    return ok(c, null);
  });
}
