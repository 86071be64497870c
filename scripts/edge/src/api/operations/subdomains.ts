/** workers.dev: the account's subdomain and each script's `…/subdomain` toggle. */
import type { ApiContext, ApiApp } from '../context.ts';
import { ok } from '../envelope.ts';
import { fail } from '../errors.ts';
import { isRecord, readJsonBody, requireScript } from '../lookup.ts';

export const SUBDOMAIN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function registerSubdomains(app: ApiApp, { store }: ApiContext): void {
  app.get('/accounts/:account_id/workers/subdomain', (c) => {
    return ok(c, { subdomain: store.state.account.subdomain });
  });

  app.put('/accounts/:account_id/workers/subdomain', async (c) => {
    const body = await readJsonBody(c.req.raw);
    const subdomain = isRecord(body) && typeof body.subdomain === 'string' ? body.subdomain : fail('validation', 'the body must be {subdomain: "name"}');
    if (!SUBDOMAIN.test(subdomain)) fail('validation', `"${subdomain}" is not a valid workers.dev subdomain (lower-case letters, digits and inner hyphens, at most 63)`);
    await store.transaction((draft) => {
      draft.account.subdomain = subdomain;
    });
    return ok(c, { subdomain });
  });

  app.get('/accounts/:account_id/workers/scripts/:script_name/subdomain', (c) => {
    const script = requireScript(store.state, c.req.param('script_name'));
    return ok(c, { enabled: script.workersDev, previews_enabled: script.previewsEnabled });
  });

  app.post('/accounts/:account_id/workers/scripts/:script_name/subdomain', async (c) => {
    const name = c.req.param('script_name');
    const body = await readJsonBody(c.req.raw);
    if (!isRecord(body) || typeof body.enabled !== 'boolean') fail('validation', 'the body must be {enabled: boolean, previews_enabled?: boolean}');
    const script = await store.transaction((draft) => {
      const record = requireScript(draft, name);
      record.workersDev = body.enabled === true;
      record.previewsEnabled = typeof body.previews_enabled === 'boolean' ? body.previews_enabled : record.workersDev;
      return record;
    });
    return ok(c, { enabled: script.workersDev, previews_enabled: script.previewsEnabled });
  });
}
