import { relative } from 'node:path';
import semver from 'semver';
import type { z } from 'zod';
import { ConfigError, type ConfigIssue, type Fleet, type FleetService } from '../../fleet/index.ts';
import { GitopsRootSettings, GitopsServiceSettings } from './schema.ts';

function issuesOf(error: z.ZodError, file: string, prefix: string): ConfigIssue[] {
  return error.issues.map((issue) => ({
    file,
    keyPath: [prefix, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
}

/** The `[gitops]` table of the root `wrangler.toml`, defaults filled in. Throws ConfigError naming file and key. */
export function gitopsRootSettings(fleet: Fleet): GitopsRootSettings {
  const parsed = GitopsRootSettings.safeParse(fleet.root.gitops ?? {});
  if (!parsed.success) throw new ConfigError(issuesOf(parsed.error, relative(fleet.rootDir, fleet.rootConfigPath), 'gitops'));
  return parsed.data;
}

/** A service's `package.json` `edgeops` key, defaults filled in. Throws ConfigError naming file and key. */
export function gitopsServiceSettings(fleet: Fleet, service: FleetService): GitopsServiceSettings {
  const file = relative(fleet.rootDir, service.packageJsonPath);
  const parsed = GitopsServiceSettings.safeParse(service.packageJson.edgeops ?? {});
  if (!parsed.success) throw new ConfigError(issuesOf(parsed.error, file, 'edgeops'));
  const rollout = parsed.data.rollout;
  if (rollout && !semver.valid(rollout.stable)) {
    throw new ConfigError([{ file, keyPath: 'edgeops.rollout.stable', message: `"${rollout.stable}" is not a semantic version; expected MAJOR.MINOR.PATCH such as 1.0.0` }]);
  }
  return parsed.data;
}
