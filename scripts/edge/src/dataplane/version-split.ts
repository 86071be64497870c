/**
 * Which version of a two-version deployment serves a request, as Cloudflare documents it
 * (https://developers.cloudflare.com/workers/configuration/versions-and-deployments/gradual-deployments/):
 * - `Cloudflare-Workers-Version-Overrides: <script>="<version id>"` (an RFC 8941 dictionary) picks
 *   that version when it is in the current deployment; otherwise it is ignored;
 * - `Cloudflare-Workers-Version-Key: <key>` (version affinity): the key is hashed and the hash,
 *   placed on the 0–100 line the percentages divide, picks the version — same key, same version;
 * - otherwise each request draws at random by the percentages.
 * Pure and runtime-neutral: it also runs inside workerd, in the router worker.
 */

export interface SplitVersion {
  id: string;
  percentage: number;
}

export const VERSION_KEY_HEADER = 'Cloudflare-Workers-Version-Key';
export const VERSION_OVERRIDES_HEADER = 'Cloudflare-Workers-Version-Overrides';

/** Parses an RFC 8941 dictionary whose values are strings (`a="x", b="y"`); members of other shapes are skipped. */
export function parseVersionOverrides(header: string): Map<string, string> {
  const overrides = new Map<string, string>();
  const member = /([a-z*][a-z0-9_.*-]*)\s*=\s*"((?:[^"\\]|\\.)*)"/g;
  for (const [, key, value] of header.matchAll(member)) {
    if (key !== undefined && value !== undefined) overrides.set(key, value.replace(/\\(.)/g, '$1'));
  }
  return overrides;
}

/** FNV-1a, 32 bits: a stable, fast hash of the version key. */
function hash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A point in [0, 100) for a version key. */
export function pointForKey(key: string): number {
  return (hash32(key) % 10_000) / 100;
}

function versionAt<T extends SplitVersion>(versions: readonly T[], point: number): T {
  let upper = 0;
  for (const version of versions) {
    upper += version.percentage;
    if (point < upper) return version;
  }
  const last = versions.findLast((version) => version.percentage > 0) ?? versions[versions.length - 1];
  if (last === undefined) throw new Error('a deployment needs at least one version');
  return last;
}

export interface SplitInput {
  script: string;
  overridesHeader?: string | null;
  versionKey?: string | null;
  /** [0, 1); Math.random in production, fixed in tests. */
  random: () => number;
}

export function chooseVersion<T extends SplitVersion>(versions: readonly T[], input: SplitInput): T {
  if (input.overridesHeader) {
    const wanted = parseVersionOverrides(input.overridesHeader).get(input.script);
    const overridden = versions.find((version) => version.id === wanted);
    if (overridden) return overridden;
  }
  if (versions.length === 1 && versions[0]) return versions[0];
  const point = input.versionKey ? pointForKey(input.versionKey) : input.random() * 100;
  return versionAt(versions, point);
}
