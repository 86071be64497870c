/**
 * The local-only rule (target `local` only): when a version's content changes without a version
 * bump, the upload is tagged with a prerelease derived from the content hash, e.g.
 * `1.2.0` + sha256 `9f86d081…` → `1.2.0-local.9f86d081`. Re-running `npm start` after an edit
 * then deploys the edit; the `cloudflare` target never does this (it asks for a bump instead).
 */
export function localTag(version: string, contentHash: string): string {
  const suffix = `local.${contentHash.slice(0, 8)}`;
  return version.includes('-') ? `${version}.${suffix}` : `${version}-${suffix}`;
}

export function isLocalTagOf(tag: string, version: string): boolean {
  return tag.startsWith(version.includes('-') ? `${version}.local.` : `${version}-local.`);
}
