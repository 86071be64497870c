/** Worker versions: upload without deploying, list (paginated, newest first), detail. */
import type { ApiContext, ApiApp } from '../context.ts';
import { ok, paginate } from '../envelope.ts';
import { fail } from '../errors.ts';
import { requireScript, requireVersion } from '../lookup.ts';
import { versionResource, versionSummary } from '../resources.ts';
import { parseUpload } from '../upload.ts';
import { addVersion } from '../versioning.ts';
import { checkVersionStarts } from '../version-startup.ts';
import { checkDurableObjectBindings, refuseVersionMigrations } from '../durable-objects.ts';
import { requestSource } from './request-source.ts';

export function registerVersions(app: ApiApp, { store, startupDeadlineMs }: ApiContext): void {
  app.get('/accounts/:account_id/workers/scripts/:script_name/versions', (c) => {
    const { state } = store;
    const script = requireScript(state, c.req.param('script_name'));
    const versions = state.versions.filter((version) => version.script === script.name).reverse();
    const { page, info } = paginate(versions, { page: c.req.query('page'), perPage: c.req.query('per_page') }, { defaultPerPage: 10, maxPerPage: 100 });
    return ok(c, { items: page.map(versionSummary) }, { page: info.page, per_page: info.per_page, total_count: info.total_count });
  });

  app.get('/accounts/:account_id/workers/scripts/:script_name/versions/:version_id', (c) => {
    const { state } = store;
    const script = requireScript(state, c.req.param('script_name'));
    const version = requireVersion(state, script.name, c.req.param('version_id'));
    return ok(c, versionResource(state, version, script));
  });

  app.post('/accounts/:account_id/workers/scripts/:script_name/versions', async (c) => {
    const name = c.req.param('script_name');
    requireScript(store.state, name);
    const upload = await parseUpload(c.req.raw);
    const source = requestSource(c);
    const version = await store.transaction(async (draft) => {
      const script = draft.scripts.find((candidate) => candidate.name === name) ?? fail('scriptNotFound', `This Worker does not exist on your account. [script: ${name}]`);
      if (upload.metadata.tags) script.tags = [...new Set(upload.metadata.tags)];
      refuseVersionMigrations(upload.metadata, name);
      checkDurableObjectBindings(script, upload.metadata);
      const added = await addVersion(draft, store.blobs, name, upload, { triggeredBy: 'upload', source });
      await checkVersionStarts(draft, store.blobs, added, startupDeadlineMs);
      return added;
    });
    return ok(c, versionResource(store.state, version, requireScript(store.state, name)));
  });
}
