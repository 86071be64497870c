/** Script secrets: names and types can be read back, values never. */
import { SecretBodySchema } from '../../../../cloudflare/api/secrets.ts';
import type { ApiContext, ApiApp } from '../context.ts';
import { ok } from '../envelope.ts';
import { fail } from '../errors.ts';
import { requireScript } from '../lookup.ts';
import { jsonBody } from '../validate.ts';

const BINDING_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function registerSecrets(app: ApiApp, { store }: ApiContext): void {
  app.get('/accounts/:account_id/workers/scripts/:script_name/secrets', (c) => {
    const { state } = store;
    const script = requireScript(state, c.req.param('script_name'));
    return ok(c, state.secrets.filter((secret) => secret.script === script.name).map((secret) => ({ name: secret.name, type: secret.type })));
  });

  app.get('/accounts/:account_id/workers/scripts/:script_name/secrets/:secret_name', (c) => {
    const { state } = store;
    const script = requireScript(state, c.req.param('script_name'));
    const name = c.req.param('secret_name');
    const secret = state.secrets.find((candidate) => candidate.script === script.name && candidate.name === name) ?? fail('secretNotFound', `Secret ${name} was not found on Worker ${script.name}`);
    return ok(c, { name: secret.name, type: secret.type });
  });

  app.put('/accounts/:account_id/workers/scripts/:script_name/secrets', jsonBody(SecretBodySchema), async (c) => {
    const scriptName = c.req.param('script_name');
    const { name, text } = c.req.valid('json');
    if (!BINDING_NAME.test(name)) fail('validation', `"${name}" is not a valid binding name`);
    await store.transaction((draft) => {
      requireScript(draft, scriptName);
      const latest = draft.versions.findLast((version) => version.script === scriptName);
      if (latest?.bindings.some((binding) => binding.name === name)) fail('validation', `Binding name "${name}" is already in use by a non-secret binding of ${scriptName}`);
      draft.secrets = draft.secrets.filter((secret) => !(secret.script === scriptName && secret.name === name));
      draft.secrets.push({ script: scriptName, name, type: 'secret_text', text });
    });
    return ok(c, { name, type: 'secret_text' });
  });

  app.delete('/accounts/:account_id/workers/scripts/:script_name/secrets/:secret_name', async (c) => {
    const scriptName = c.req.param('script_name');
    const name = c.req.param('secret_name');
    await store.transaction((draft) => {
      requireScript(draft, scriptName);
      if (!draft.secrets.some((secret) => secret.script === scriptName && secret.name === name)) fail('secretNotFound', `Secret ${name} was not found on Worker ${scriptName}`);
      draft.secrets = draft.secrets.filter((secret) => !(secret.script === scriptName && secret.name === name));
    });
    return ok(c, null);
  });
}
