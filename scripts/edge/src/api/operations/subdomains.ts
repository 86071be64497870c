/** workers.dev: the account's subdomain and each script's `…/subdomain` toggle. */
import { AccountSubdomainBodySchema, ScriptSubdomainBodySchema } from '../../../../cloudflare/api/subdomains.ts';
import type { ApiContext, ApiApp } from '../context.ts';
import { ok } from '../envelope.ts';
import { fail } from '../errors.ts';
import { requireScript } from '../lookup.ts';
import { jsonBody } from '../validate.ts';

export const SUBDOMAIN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function registerSubdomains(app: ApiApp, { store }: ApiContext): void {
  app.get('/accounts/:account_id/workers/subdomain', (c) => {
    return ok(c, { subdomain: store.state.account.subdomain });
  });

  app.put('/accounts/:account_id/workers/subdomain', jsonBody(AccountSubdomainBodySchema), async (c) => {
    const { subdomain } = c.req.valid('json');
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

  app.post('/accounts/:account_id/workers/scripts/:script_name/subdomain', jsonBody(ScriptSubdomainBodySchema), async (c) => {
    const name = c.req.param('script_name');
    const body = c.req.valid('json');
    const script = await store.transaction((draft) => {
      const record = requireScript(draft, name);
      record.workersDev = body.enabled;
      record.previewsEnabled = body.previews_enabled ?? record.workersDev;
      return record;
    });
    return ok(c, { enabled: script.workersDev, previews_enabled: script.previewsEnabled });
  });
}
