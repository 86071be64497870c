/**
 * Script settings: the non-versioned `…/script-settings` (tags, logpush, tail consumers,
 * observability) and `…/settings`, which also shows the current version's bindings and
 * compatibility settings.
 */
import { currentDeployment } from '../../build-snapshot.ts';
import { ScriptSettingsBodySchema, type ScriptSettingsBody } from '../../../../cloudflare/api/scripts.ts';
import type { EdgeState } from '../../store/state.ts';
import type { ScriptRecord } from '../../store/scripts.ts';
import type { ApiContext, ApiApp } from '../context.ts';
import { ok } from '../envelope.ts';
import { fail } from '../errors.ts';
import { isRecord, readJsonBody, requireScript } from '../lookup.ts';
import { publicBindings } from '../resources.ts';
import { jsonBody, parseWith } from '../validate.ts';

function scriptSettingsResource(script: ScriptRecord): Record<string, unknown> {
  return { logpush: script.logpush, tail_consumers: script.tailConsumers, tags: script.tags, observability: script.observability ?? { enabled: false } };
}

function settingsResource(state: Readonly<EdgeState>, script: ScriptRecord): Record<string, unknown> {
  const deployment = currentDeployment(state, script.name);
  const version = state.versions.find((candidate) => candidate.id === deployment?.versions[0]?.version_id);
  return {
    ...scriptSettingsResource(script),
    bindings: version ? publicBindings(state, version) : [],
    compatibility_date: version?.compatibilityDate ?? '',
    compatibility_flags: version?.compatibilityFlags ?? [],
    usage_model: 'bundled',
    placement: {},
    limits: {},
  };
}

/** Applies the non-versioned settings in `body` (null or absent: unchanged). */
function patchScriptSettings(script: ScriptRecord, body: ScriptSettingsBody): void {
  if (body.tags !== undefined && body.tags !== null) script.tags = [...new Set(body.tags)];
  if (body.logpush !== undefined) script.logpush = body.logpush;
  if (body.tail_consumers !== undefined && body.tail_consumers !== null) script.tailConsumers = body.tail_consumers;
  if (body.observability !== undefined && body.observability !== null) script.observability = body.observability;
  script.modifiedOn = new Date().toISOString();
}

const VERSIONED_FIELDS = ['bindings', 'compatibility_date', 'compatibility_flags', 'migrations', 'placement', 'limits', 'usage_model'] as const;

async function readSettingsBody(request: Request): Promise<Record<string, unknown>> {
  const contentType = request.headers.get('content-type') ?? '';
  let body: unknown;
  if (contentType.startsWith('multipart/form-data')) {
    const form = await request.formData();
    const part = form.get('settings');
    if (part === null) return fail('validation', 'the multipart body needs a `settings` part holding JSON');
    const text = typeof part === 'string' ? part : await part.text();
    try {
      body = JSON.parse(text);
    } catch (error) {
      return fail('validation', `the \`settings\` part is not valid JSON (${(error as Error).message})`);
    }
  } else {
    body = await readJsonBody(request);
  }
  if (!isRecord(body)) return fail('validation', 'settings must be a JSON object');
  return body;
}

export function registerSettings(app: ApiApp, { store }: ApiContext): void {
  app.get('/accounts/:account_id/workers/scripts/:script_name/script-settings', (c) => {
    return ok(c, scriptSettingsResource(requireScript(store.state, c.req.param('script_name'))));
  });

  app.patch('/accounts/:account_id/workers/scripts/:script_name/script-settings', jsonBody(ScriptSettingsBodySchema), async (c) => {
    const name = c.req.param('script_name');
    const body = c.req.valid('json');
    const script = await store.transaction((draft) => {
      const record = requireScript(draft, name);
      patchScriptSettings(record, body);
      return record;
    });
    return ok(c, scriptSettingsResource(script));
  });

  app.get('/accounts/:account_id/workers/scripts/:script_name/settings', (c) => {
    return ok(c, settingsResource(store.state, requireScript(store.state, c.req.param('script_name'))));
  });

  app.patch('/accounts/:account_id/workers/scripts/:script_name/settings', async (c) => {
    const name = c.req.param('script_name');
    const body = await readSettingsBody(c.req.raw);
    const versioned = VERSIONED_FIELDS.filter((field) => body[field] !== undefined);
    if (versioned.length > 0) {
      fail('validation', `the local edge changes ${versioned.join(', ')} only through a new version upload (POST …/versions); PATCH …/settings accepts tags, logpush, tail_consumers and observability`);
    }
    const settings = parseWith(ScriptSettingsBodySchema, body, 'settings');
    await store.transaction((draft) => patchScriptSettings(requireScript(draft, name), settings));
    return ok(c, settingsResource(store.state, requireScript(store.state, name)));
  });
}
