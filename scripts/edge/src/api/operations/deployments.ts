/** Worker deployments: create (one or two versions, percentages), list newest first, get, delete. */
import { currentDeployment } from '../../build-snapshot.ts';
import { DeploymentBodySchema } from '../../../../cloudflare/api/deployments.ts';
import type { EdgeState } from '../../store/state.ts';
import type { ApiContext, ApiApp } from '../context.ts';
import { ok } from '../envelope.ts';
import { fail } from '../errors.ts';
import { requireScript } from '../lookup.ts';
import { deploymentResource } from '../resources.ts';
import { addDeployment } from '../versioning.ts';
import { jsonBody } from '../validate.ts';
import { requestSource } from './request-source.ts';

/** A deployment of one older version at 100% while a newer one exists: Cloudflare calls it a rollback. */
function isRollback(state: Readonly<EdgeState>, script: string, versions: readonly { version_id: string }[]): boolean {
  const [only] = versions;
  if (versions.length !== 1 || only === undefined || currentDeployment(state, script) === undefined) return false;
  const numbers = state.versions.filter((version) => version.script === script).map((version) => version.number);
  const target = state.versions.find((version) => version.id === only.version_id);
  return target !== undefined && target.number < Math.max(...numbers);
}

export function registerDeployments(app: ApiApp, { store }: ApiContext): void {
  app.get('/accounts/:account_id/workers/scripts/:script_name/deployments', (c) => {
    const { state } = store;
    const script = requireScript(state, c.req.param('script_name'));
    const deployments = state.deployments.filter((deployment) => deployment.script === script.name).reverse();
    return ok(c, { deployments: deployments.map(deploymentResource) });
  });

  app.get('/accounts/:account_id/workers/scripts/:script_name/deployments/:deployment_id', (c) => {
    const { state } = store;
    const script = requireScript(state, c.req.param('script_name'));
    const id = c.req.param('deployment_id');
    const deployment = state.deployments.find((candidate) => candidate.script === script.name && candidate.id === id) ?? fail('deploymentNotFound', `Deployment ${id} of Worker ${script.name} was not found`);
    return ok(c, deploymentResource(deployment));
  });

  app.post('/accounts/:account_id/workers/scripts/:script_name/deployments', jsonBody(DeploymentBodySchema), async (c) => {
    const name = requireScript(store.state, c.req.param('script_name')).name;
    const { versions, annotations = {} } = c.req.valid('json');
    const body = { versions, annotations };
    const source = requestSource(c);
    const deployment = await store.transaction((draft) => addDeployment(draft, name, { ...body, ...(isRollback(draft, name, body.versions) ? { triggeredBy: 'rollback' } : {}), source }));
    return ok(c, deploymentResource(deployment));
  });

  app.delete('/accounts/:account_id/workers/scripts/:script_name/deployments/:deployment_id', async (c) => {
    const name = requireScript(store.state, c.req.param('script_name')).name;
    const id = c.req.param('deployment_id');
    await store.transaction((draft) => {
      const deployment = draft.deployments.find((candidate) => candidate.script === name && candidate.id === id) ?? fail('deploymentNotFound', `Deployment ${id} of Worker ${name} was not found`);
      if (currentDeployment(draft, name)?.id === deployment.id) fail('validation', `Deployment ${id} is the latest deployment of ${name} and cannot be deleted`);
      draft.deployments = draft.deployments.filter((candidate) => candidate.id !== id);
    });
    return ok(c, null);
  });
}
