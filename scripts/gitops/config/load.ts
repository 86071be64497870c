import { relative } from 'node:path';
import semver from 'semver';
import type * as z from 'zod';
import { ConfigError, type ConfigIssue, type Fleet, type FleetService } from '../../fleet/index.ts';
import { GitopsServiceSettings } from './schema.ts';

function issuesOf(error: z.ZodError, file: string, prefix: string): ConfigIssue[] {
  return error.issues.map((issue) => ({
    file,
    keyPath: [prefix, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
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
