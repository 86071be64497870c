/**
 * Worker scripts: list (with `?tags=` filter), upload (creates or replaces and deploys at 100%),
 * download, delete, and the undocumented `GET …/workers/services/{name}` wrangler starts with.
 */
import type { Context } from 'hono';
import { currentDeployment } from '../../build-snapshot.ts';
import { fail } from '../errors.ts';
import type { BlobStore } from '../../store/blobs.ts';
import { hexId } from '../../store/ids.ts';
import type { EdgeState } from '../../store/state.ts';
import type { ScriptRecord } from '../../store/scripts.ts';
import type { ApiContext, ApiApp } from '../context.ts';
import { ok } from '../envelope.ts';
import { checkScriptName, requireScript } from '../lookup.ts';
import { applyUploadMigrations, checkDurableObjectBindings } from '../durable-objects.ts';
import { scriptResource } from '../resources.ts';
import { checkVersionStarts } from '../version-startup.ts';
import { parseUpload, type ParsedUpload } from '../upload.ts';
import { addDeployment, addVersion } from '../versioning.ts';
import { requestSource } from './request-source.ts';

/** `?tags=a:yes,b:no`: scripts carrying every `yes` tag and none of the `no` tags. */
export function matchesTagFilter(tags: readonly string[], filter: string): boolean {
  return filter
    .split(',')
    .map((term) => term.trim())
    .filter((term) => term !== '')
    .every((term) => {
      const separator = term.lastIndexOf(':');
      const [tag, wanted] = separator === -1 ? [term, 'yes'] : [term.slice(0, separator), term.slice(separator + 1)];
      return wanted === 'no' ? !tags.includes(tag) : tags.includes(tag);
    });
}

export function newScript(name: string, source: string): ScriptRecord {
  const now = new Date().toISOString();
  return {
    name,
    tag: hexId(),
    createdOn: now,
    modifiedOn: now,
    tags: [],
    logpush: false,
    tailConsumers: [],
    observability: null,
    usageModel: 'standard',
    lastDeployedFrom: source,
    workersDev: false,
    previewsEnabled: false,
    schedules: [],
  };
}

/** Applies the non-versioned settings an upload's metadata carries to the script record. */
function applyUploadSettings(script: ScriptRecord, upload: ParsedUpload): void {
  const { metadata } = upload;
  if (metadata.tags) script.tags = [...new Set(metadata.tags)];
  if (metadata.logpush !== undefined) script.logpush = metadata.logpush;
  if (metadata.tail_consumers) script.tailConsumers = metadata.tail_consumers;
  if (metadata.observability) script.observability = metadata.observability;
}

/** Creates or replaces `name` from `upload` and deploys the new version to 100% of traffic. */
export async function uploadScript(draft: EdgeState, blobs: BlobStore, name: string, upload: ParsedUpload, source: string) {
  let script = draft.scripts.find((candidate) => candidate.name === name);
  if (!script) {
    script = newScript(name, source);
    draft.scripts.push(script);
  }
  applyUploadSettings(script, upload);
  applyUploadMigrations(script, upload.metadata);
  checkDurableObjectBindings(script, upload.metadata);
  script.lastDeployedFrom = source;
  script.modifiedOn = new Date().toISOString();
  const version = await addVersion(draft, blobs, name, upload, { triggeredBy: 'upload', source });
  addDeployment(draft, name, { versions: [{ version_id: version.id, percentage: 100 }], triggeredBy: 'upload', source });
  return { script, version };
}

/** Scripts whose current deployment binds `name` as a service. */
export function incomingServiceBindings(state: Readonly<EdgeState>, name: string): { service: string; environment: string; name: string }[] {
  const found: { service: string; environment: string; name: string }[] = [];
  for (const script of state.scripts) {
    if (script.name === name) continue;
    const deployment = currentDeployment(state, script.name);
    for (const entry of deployment?.versions ?? []) {
      const version = state.versions.find((candidate) => candidate.id === entry.version_id);
      for (const binding of version?.bindings ?? []) {
        if (binding.type === 'service' && binding.service === name && !found.some((item) => item.service === script.name)) {
          found.push({ service: script.name, environment: 'production', name: binding.name });
        }
      }
    }
  }
  return found;
}

/** Removes a script and everything that only makes sense with it. */
export function deleteScript(draft: EdgeState, name: string): void {
  draft.scripts = draft.scripts.filter((script) => script.name !== name);
  draft.versions = draft.versions.filter((version) => version.script !== name);
  draft.deployments = draft.deployments.filter((deployment) => deployment.script !== name);
  draft.secrets = draft.secrets.filter((secret) => secret.script !== name);
  draft.routes = draft.routes.filter((route) => route.script !== name);
  draft.domains = draft.domains.filter((domain) => domain.service !== name);
  for (const queue of draft.queues) queue.consumers = queue.consumers.filter((consumer) => consumer.script !== name);
}

/** Content types of module parts in a download, by module type. */
const MODULE_CONTENT_TYPES: Readonly<Record<string, string>> = {
  esm: 'application/javascript+module',
  commonjs: 'application/javascript',
  text: 'text/plain',
  data: 'application/octet-stream',
  'compiled-wasm': 'application/wasm',
  'source-map': 'application/source-map',
};

/** A version's modules as multipart, the entry point named in `cf-entrypoint`. */
async function contentResponse(state: Readonly<EdgeState>, blobs: BlobStore, scriptName: string, versionId: string | undefined): Promise<Response> {
  const id = versionId ?? currentDeployment(state, scriptName)?.versions[0]?.version_id;
  const version = state.versions.find((candidate) => candidate.script === scriptName && candidate.id === id) ?? fail('versionNotFound', `Version ${id ?? '(none deployed)'} of Worker ${scriptName} was not found`);
  const form = new FormData();
  for (const module of version.modules) {
    form.append(module.name, new File([await blobs.get(module.hash)], module.name, { type: MODULE_CONTENT_TYPES[module.type] ?? 'application/octet-stream' }));
  }
  const response = new Response(form);
  response.headers.set('cf-entrypoint', version.mainModule);
  return response;
}

export function registerScripts(app: ApiApp, { store, startupDeadlineMs }: ApiContext): void {
  app.get('/accounts/:account_id/workers/scripts', (c) => {
    const { state } = store;
    const filter = c.req.query('tags');
    const scripts = state.scripts.filter((script) => filter === undefined || matchesTagFilter(script.tags, filter));
    return ok(c, scripts.map((script) => scriptResource(state, script)));
  });

  app.put('/accounts/:account_id/workers/scripts/:script_name', async (c) => {
    const name = c.req.param('script_name');
    checkScriptName(name);
    const upload = await parseUpload(c.req.raw);
    const source = requestSource(c);
    const { version } = await store.transaction(async (draft) => {
      const uploaded = await uploadScript(draft, store.blobs, name, upload, source);
      // A Worker that hangs at start-up is refused here, in a throwaway workerd with a deadline,
      // before the serving data plane ever tries to start it.
      await checkVersionStarts(draft, store.blobs, uploaded.version, startupDeadlineMs);
      return uploaded;
    });
    const script = requireScript(store.state, name);
    return ok(c, { ...scriptResource(store.state, script), startup_time_ms: version.startupTimeMs, deployment_id: version.id });
  });

  app.get('/accounts/:account_id/workers/scripts/:script_name', async (c) => {
    const { state } = store;
    const name = requireScript(state, c.req.param('script_name')).name;
    return contentResponse(state, store.blobs, name, undefined);
  });

  app.get('/accounts/:account_id/workers/scripts/:script_name/content/v2', async (c) => {
    const { state } = store;
    const name = requireScript(state, c.req.param('script_name')).name;
    return contentResponse(state, store.blobs, name, c.req.query('version'));
  });

  const deleteHandler = (param: 'script_name' | 'service_name') => async (c: Context) => {
    const name = c.req.param(param) ?? '';
    const force = c.req.query('force') === 'true';
    await store.transaction((draft) => {
      requireScript(draft, name);
      const dependents = incomingServiceBindings(draft, name);
      if (dependents.length > 0 && !force) {
        fail('validation', `Worker ${name} is used as a service binding by ${dependents.map((dependent) => dependent.service).join(', ')}; delete with ?force=true to break them`);
      }
      deleteScript(draft, name);
    });
    return ok(c, null);
  };
  app.delete('/accounts/:account_id/workers/scripts/:script_name', deleteHandler('script_name'));
  app.delete('/accounts/:account_id/workers/services/:service_name', deleteHandler('service_name'));

  app.get('/accounts/:account_id/workers/scripts/:script_name/references', (c) => {
    const { state } = store;
    const script = requireScript(state, c.req.param('script_name'));
    return ok(c, { services: { incoming: incomingServiceBindings(state, script.name), outgoing: [], pages_function: false }, durable_objects: [], dispatch_outbounds: [] });
  });

  app.get('/accounts/:account_id/workers/tails/by-consumer/:script_name', (c) => {
    const name = c.req.param('script_name');
    const producers = store.state.scripts.filter((script) => script.tailConsumers.some((consumer) => consumer.service === name));
    return ok(c, producers.map((script) => ({ producer: { script: script.name } })));
  });

  app.get('/accounts/:account_id/workers/services/:service_name', (c) => {
    const { state } = store;
    const script = requireScript(state, c.req.param('service_name'));
    const resource = scriptResource(state, script);
    return ok(c, {
      id: script.name,
      default_environment: {
        environment: 'production',
        created_on: script.createdOn,
        modified_on: script.modifiedOn,
        script: resource,
      },
      created_on: script.createdOn,
      modified_on: script.modifiedOn,
    });
  });
}
