import * as z from 'zod';

/**
 * The gate's findings, defined once: the gate builds them, `--out` writes them as JSON, and the PR
 * comment reads that file back (checked against the same schema).
 */
export const ChangeClass = z.enum(['breaking', 'non-breaking']);
export type ChangeClass = z.infer<typeof ChangeClass>;

/** One difference between two versions of a service's OpenAPI document. */
export const ContractChange = z.object({
  /** `GET /users/{id}`, or `event orderCreated`. */
  route: z.string(),
  /** `response 200 body`, `request body`, `query`, `path`, `route`, `body` (of an event). */
  location: z.string(),
  /** The field path inside that location (`items[].sku`), empty when the whole location changed. */
  field: z.string(),
  class: ChangeClass,
  /** What changed, for humans: `removed`, `made optional`, `maxLength 200 → 100`. */
  what: z.string(),
});
export type ContractChange = z.infer<typeof ContractChange>;

/** Who would break if a service's contract broke. */
export const Consumers = z.object({
  /** Services with a service binding to it that build a typed client for its contract. */
  http: z.array(z.string()),
  /** Services consuming a queue it publishes its events to. */
  events: z.array(z.string()),
});
export type Consumers = z.infer<typeof Consumers>;

/** How much a version moved, read the way a caret range (`^1.2.3`, `^0.3.1`) reads it. */
export const Bump = z.enum(['major', 'minor', 'patch', 'none', 'downgrade']);
export type Bump = z.infer<typeof Bump>;

/** The least bump a set of contract changes needs. */
export const RequiredBump = z.enum(['major', 'minor', 'none']);
export type RequiredBump = z.infer<typeof RequiredBump>;

/** The gate's finding for one service whose contract changed. */
export const ServiceVerdict = z.object({
  service: z.string(),
  baseVersion: z.string(),
  headVersion: z.string(),
  changes: z.array(ContractChange),
  required: RequiredBump,
  bump: Bump,
  /** The version moved at least as far as the changes need. */
  ok: z.boolean(),
  /** Who a breaking change reaches: the services to update. */
  consumers: Consumers,
  /**
   * Consumers of a breaking change whose version this change does not bump: the reconciler will not
   * redeploy them, so at the edge they keep calling with the old contract after this one deploys.
   */
  stillOnOldContract: z.array(z.string()),
});
export type ServiceVerdict = z.infer<typeof ServiceVerdict>;

export const GateReport = z.object({
  base: z.string(),
  verdicts: z.array(ServiceVerdict),
  ok: z.boolean(),
});
export type GateReport = z.infer<typeof GateReport>;
