import * as z from 'zod';

/** A lone UTF-16 surrogate: JSON can carry one, UTF-8 and URLs cannot. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * A string of whole Unicode characters (no lone UTF-16 surrogate), so a service can pass it on in a
 * URL or store it as UTF-8 without failing. Refine a contract field with it when the value travels on.
 */
export const wellFormedText = (): z.ZodString =>
  z.string().refine((value) => !LONE_SURROGATE.test(value), { message: 'Must not contain a lone UTF-16 surrogate (\\ud800–\\udfff)' });
