import type { Octokit } from '@octokit/rest';
import { PREVIEW_ENVIRONMENT } from '../../cloudflare/environments.ts';

/**
 * GitHub Deployments for the fleet's environments and previews, through the REST API
 * (https://docs.github.com/rest/deployments/deployments and …/statuses): one deployment per apply,
 * `in_progress` while it runs, then `success` or `failure` with the environment's URL; a torn-down
 * preview's deployments are marked `inactive`.
 */

export interface RepositoryRef {
  owner: string;
  repo: string;
}

export interface DeploymentStart extends RepositoryRef {
  /** The commit deployed. */
  sha: string;
  /** The fleet's environment: `production`, `staging`, `pr-12`. */
  environment: string;
  description?: string;
}

/** Creates the deployment and marks it `in_progress`; resolves to its id. */
export async function startDeployment(octokit: Octokit, start: DeploymentStart): Promise<number> {
  const preview = PREVIEW_ENVIRONMENT.test(start.environment);
  const { data } = await octokit.rest.repos.createDeployment({
    owner: start.owner,
    repo: start.repo,
    ref: start.sha,
    environment: start.environment,
    // The fleet is deployed by the reconciler, not by commit checks: no merge, no required contexts.
    auto_merge: false,
    required_contexts: [],
    transient_environment: preview,
    production_environment: start.environment === 'production',
    ...(start.description ? { description: start.description } : {}),
  });
  if (!('id' in data)) throw new Error(`GitHub did not create a deployment for ${start.environment}: ${data.message ?? 'no reason given'}`);
  await octokit.rest.repos.createDeploymentStatus({ owner: start.owner, repo: start.repo, deployment_id: data.id, state: 'in_progress' });
  return data.id;
}

/** Marks a deployment `success` (with the URL the environment answers on) or `failure`. */
export async function finishDeployment(octokit: Octokit, repository: RepositoryRef, deploymentId: number, outcome: { ok: boolean; environmentUrl?: string; description?: string }): Promise<void> {
  await octokit.rest.repos.createDeploymentStatus({
    owner: repository.owner,
    repo: repository.repo,
    deployment_id: deploymentId,
    state: outcome.ok ? 'success' : 'failure',
    ...(outcome.environmentUrl ? { environment_url: outcome.environmentUrl } : {}),
    ...(outcome.description ? { description: outcome.description } : {}),
  });
}

/**
 * Marks every deployment of `environment` `inactive` (a torn-down preview); resolves to how many it
 * marked. One already inactive (its latest status, listed newest first) is left as it is, so a
 * second teardown adds nothing.
 */
export async function deactivateEnvironment(octokit: Octokit, repository: RepositoryRef, environment: string): Promise<number> {
  const deployments = await octokit.paginate(octokit.rest.repos.listDeployments, { owner: repository.owner, repo: repository.repo, environment, per_page: 100 });
  let marked = 0;
  for (const deployment of deployments) {
    const { data: latest } = await octokit.rest.repos.listDeploymentStatuses({ owner: repository.owner, repo: repository.repo, deployment_id: deployment.id, per_page: 1 });
    if (latest[0]?.state === 'inactive') continue;
    await octokit.rest.repos.createDeploymentStatus({ owner: repository.owner, repo: repository.repo, deployment_id: deployment.id, state: 'inactive' });
    marked += 1;
  }
  return marked;
}
