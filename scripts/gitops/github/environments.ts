import { resolve } from 'node:path';
import { DEFAULT_TOP_LEVEL_ENVIRONMENT } from '../../cloudflare/environments.ts';
import { loadFleet, selectEnvironment } from '../../fleet/index.ts';

/**
 * The environments the root wrangler.toml declares: the top level (`[gitops] environment`) first,
 * then every `[env.<name>]` table. Previews (`pr-<n>`) are derived, never declared, so never listed.
 * The fleet's environments are checked first: a bad table is a ConfigError naming file and key.
 */
export async function declaredEnvironments(rootDir: string): Promise<string[]> {
  const fleet = await loadFleet(resolve(rootDir));
  await selectEnvironment(fleet);
  return [fleet.root.gitops.environment ?? DEFAULT_TOP_LEVEL_ENVIRONMENT, ...Object.keys(fleet.root.env ?? {})];
}
