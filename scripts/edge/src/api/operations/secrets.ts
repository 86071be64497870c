/**
 * Script secrets: names and types can be read back, values never. They belong to versions
 * (version-secrets.ts): a put or delete makes a new version and deploys it; the list shows the
 * secrets of the version serving all traffic (else the newest).
 */
import { SecretBodySchema } from '../../../../cloudflare/api/secrets.ts';
import { currentDeployment } from '../../build-snapshot.ts';
import type { EdgeState } from '../../store/state.ts';
import { versionSecrets, type VersionSecret } from '../../store/versions.ts';
import type { ApiContext, ApiApp } from '../context.ts';
import { ok } from '../envelope.ts';
import { fail } from '../errors.ts';
import { requireScript } from '../lookup.ts';
import { jsonBody } from '../validate.ts';
import { deploySecretChange } from '../version-secrets.ts';
import { requestSource } from './request-source.ts';

const BINDING_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function listedSecrets(state: Readonly<EdgeState>, script: string): VersionSecret[] {
  const deployed = currentDeployment(state, script)?.versions;
  const id = deployed?.length === 1 ? deployed[0]?.version_id : undefined;
  const version = state.versions.find((candidate) => candidate.id === id) ?? state.versions.findLast((candidate) => candidate.script === script);
  return version ? versionSecrets(state, version) : [];
}

export function registerSecrets(app: ApiApp, { store }: ApiContext): void {
  app.get('/accounts/:account_id/workers/scripts/:script_name/secrets', (c) => {
    const { state } = store;
    const script = requireScript(state, c.req.param('script_name'));
    return ok(c, listedSecrets(state, script.name).map((secret) => ({ name: secret.name, type: 'secret_text' })));
  });

  app.get('/accounts/:account_id/workers/scripts/:script_name/secrets/:secret_name', (c) => {
    const { state } = store;
    const script = requireScript(state, c.req.param('script_name'));
    const name = c.req.param('secret_name');
    const secret = listedSecrets(state, script.name).find((candidate) => candidate.name === name) ?? fail('secretNotFound', `Secret ${name} was not found on Worker ${script.name}`);
    return ok(c, { name: secret.name, type: 'secret_text' });
  });

  app.put('/accounts/:account_id/workers/scripts/:script_name/secrets', jsonBody(SecretBodySchema), async (c) => {
    const scriptName = c.req.param('script_name');
    const { name, text } = c.req.valid('json');
    if (!BINDING_NAME.test(name)) fail('validation', `"${name}" is not a valid binding name`);
    const source = requestSource(c);
    await store.transaction((draft) => {
      requireScript(draft, scriptName);
      const latest = draft.versions.findLast((version) => version.script === scriptName);
      if (latest?.bindings.some((binding) => binding.name === name)) fail('validation', `Binding name "${name}" is already in use by a non-secret binding of ${scriptName}`);
      deploySecretChange(draft, scriptName, { [name]: text }, source);
    });
    return ok(c, { name, type: 'secret_text' });
  });

  app.delete('/accounts/:account_id/workers/scripts/:script_name/secrets/:secret_name', async (c) => {
    const scriptName = c.req.param('script_name');
    const name = c.req.param('secret_name');
    const source = requestSource(c);
    await store.transaction((draft) => {
      requireScript(draft, scriptName);
      if (!listedSecrets(draft, scriptName).some((secret) => secret.name === name)) fail('secretNotFound', `Secret ${name} was not found on Worker ${scriptName}`);
      deploySecretChange(draft, scriptName, { [name]: null }, source);
    });
    return ok(c, null);
  });
}
