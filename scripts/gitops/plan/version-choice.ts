import type { Target, PlanError } from './plan.ts';
import type { DesiredService } from '../state/desired.ts';
import type { ObservedScript, ObservedVersion } from '../state/observed.ts';
import { isLocalTagOf, localTag } from './local-tag.ts';

export const short = (hash: string) => hash.slice(0, 12);

/** Prefers the deployed version, then the newest upload. */
export function pickVersion(candidates: ObservedVersion[], script: ObservedScript): ObservedVersion | undefined {
  const deployed = new Set(script.deployment.map((entry) => entry.versionId));
  return [...candidates].sort((a, b) => {
    const deployedOrder = Number(deployed.has(b.id)) - Number(deployed.has(a.id));
    return deployedOrder !== 0 ? deployedOrder : (b.number ?? 0) - (a.number ?? 0);
  })[0];
}

/** Which version of an existing script serves what git declares, and whether it must be uploaded. */
export type VersionChoice =
  /** An uploaded version already has the declared tag (or, locally, its local tag) and content. */
  | { kind: 'existing'; version: ObservedVersion; tag: string }
  /** Nothing uploaded matches: upload under `tag` (`localRule`: the local-only prerelease tag). */
  | { kind: 'upload'; tag: string; localRule: boolean }
  /** The declared version was uploaded with other content and the target forbids re-tagging. */
  | { kind: 'refused'; error: PlanError };

/**
 * The version rule: the declared version with its content, if it was uploaded before; otherwise an
 * upload. The same version with other content is an error on target cloudflare ("bump the
 * version"), and uploaded under a local prerelease tag on target local (the local-only rule). A
 * local tag only ever matches on target local: on cloudflare, a `1.2.0-local.…` deployment does
 * not stand for `1.2.0`.
 */
export function chooseVersion(service: DesiredService, script: ObservedScript, target: Target): VersionChoice {
  const matches = script.versions.filter(
    (version) =>
      version.hash === service.contentHash &&
      (version.tag === service.version || (target === 'local' && version.tag !== undefined && isLocalTagOf(version.tag, service.version))),
  );
  const match = pickVersion(matches, script);
  if (match) return { kind: 'existing', version: match, tag: match.tag ?? service.version };
  const clash = script.versions.find((version) => version.tag === service.version && version.hash !== service.contentHash);
  if (!clash) return { kind: 'upload', tag: service.version, localRule: false };
  if (target === 'local') return { kind: 'upload', tag: localTag(service.version, service.contentHash), localRule: true };
  return {
    kind: 'refused',
    error: {
      service: service.name,
      file: service.source.packageJson,
      key: 'version',
      message:
        `version ${service.version} is already uploaded with different content ` +
        `(sha256:${short(clash.hash ?? 'unknown')}, now sha256:${short(service.contentHash)}): bump the version` +
        ` (aborting a gradual rollout? keep "edgeops.rollout" with "stable" set to this version, or \`git revert\` the commit that started it)`,
    },
  };
}
