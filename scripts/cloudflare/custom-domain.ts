/**
 * A Custom Domain is a bare hostname (no scheme, path or wildcard) that a Worker serves whole,
 * https://developers.cloudflare.com/workers/configuration/routing/custom-domains/ . Each label is
 * 1–63 letters, digits or `-` (not at either end), the whole name at most 253 characters, and the
 * last label alphabetic (RFC 1123 host names).
 */
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

export type CustomDomainValidation = { ok: true; hostname: string } | { ok: false; error: string };

/** Checks a custom domain's hostname; the error says what a valid one looks like. */
export function validateCustomDomain(hostname: string): CustomDomainValidation {
  if (HOSTNAME.test(hostname)) return { ok: true, hostname: hostname.toLowerCase() };
  return { ok: false, error: `custom domain "${hostname}" must be a plain hostname such as shop.example.com (no scheme, path, port or wildcard)` };
}
