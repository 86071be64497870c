/**
 * JSON with object keys sorted, so equal data always serialises to equal text: what the content
 * hash of a desired service (desired/build.ts) and the fingerprint of observed state
 * (plan/fingerprint.ts) are computed over.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (inner && typeof inner === 'object' && !Array.isArray(inner)) {
      const sorted: Record<string, unknown> = {};
      for (const key of Object.keys(inner).sort()) sorted[key] = (inner as Record<string, unknown>)[key];
      return sorted;
    }
    return inner;
  });
}
