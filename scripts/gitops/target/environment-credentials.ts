import { credentialsEnv, type SelectedEnvironment } from '../../fleet/index.ts';
import type { Target } from '../plan/plan.ts';
import { TargetError } from './target.ts';

/**
 * The process environment the target resolver reads for one of the fleet's environments: on target
 * cloudflare, a named environment's own credential variables (`[env.<name>] credentials`) stand in
 * for `CLOUDFLARE_API_TOKEN` / `CLOUDFLARE_ACCOUNT_ID`, and a missing one is named before any call.
 */
export function environmentTargetEnv(environment: SelectedEnvironment, target: Target, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (target === 'cloudflare' && !environment.topLevel) {
    const missing = [environment.credentials.api_token, environment.credentials.account_id].filter((name) => !env[name]);
    if (missing.length > 0) throw new TargetError(`target cloudflare in environment "${environment.name}" needs ${missing.join(' and ')} in the environment (its [env] credentials); nothing was called`);
  }
  return credentialsEnv(environment, env);
}
