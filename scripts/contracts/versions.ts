import semver from 'semver';
import type { Bump, ContractChange, RequiredBump } from './report.ts';

export class VersionError extends Error {}

/**
 * The bump from `base` to `head`. Below 1.0.0 the numbers shift as in semver's caret ranges: a
 * 0.x minor bump is a major one (0.3 → 0.4 may break), a 0.x patch bump a minor one.
 */
export function bumpOf(base: string, head: string, where: string): Bump {
  for (const [label, version] of [['base', base], ['head', head]] as const) {
    if (!semver.valid(version)) throw new VersionError(`${where}: ${label} version "${version}" is not semver (expected MAJOR.MINOR.PATCH)`);
  }
  if (semver.eq(base, head)) return 'none';
  if (semver.lt(head, base)) return 'downgrade';
  if (semver.major(head) > semver.major(base)) return 'major';
  if (semver.major(base) === 0) {
    if (semver.minor(head) > semver.minor(base)) return 'major';
    return semver.patch(head) > semver.patch(base) ? 'minor' : 'patch';
  }
  if (semver.minor(head) > semver.minor(base)) return 'minor';
  return 'patch';
}

export function requiredBump(changes: readonly ContractChange[]): RequiredBump {
  if (changes.some((change) => change.class === 'breaking')) return 'major';
  return changes.length > 0 ? 'minor' : 'none';
}

const RANK: Record<Bump, number> = { downgrade: -1, none: 0, patch: 1, minor: 2, major: 3 };

export function bumpSatisfies(bump: Bump, required: RequiredBump): boolean {
  return RANK[bump] >= RANK[required];
}

/** The smallest version that satisfies `required` from `base`, as a hint. */
export function suggestedVersion(base: string, required: RequiredBump): string {
  if (required === 'none') return base;
  const zero = semver.major(base) === 0;
  const release = required === 'major' ? (zero ? 'minor' : 'major') : zero ? 'patch' : 'minor';
  return semver.inc(base, release) ?? base;
}
