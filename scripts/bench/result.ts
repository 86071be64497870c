/**
 * What a bench returns and what `bench-results/latest.json` holds: one zod definition each, the
 * types inferred from them, so the runner and the results test check the same shape.
 */
import { z } from 'zod';

/** One measured number, with the goal it is held to (if any) and whether it met it. */
export const BenchRow = z.object({
  metric: z.string().min(1),
  value: z.number().finite(),
  unit: z.string().min(1),
  /** Human-readable goal, e.g. `>= 0.85`. */
  goal: z.string().min(1).optional(),
  ok: z.boolean().optional(),
});
export type BenchRow = z.infer<typeof BenchRow>;

export const BenchResult = z.object({
  rows: z.array(BenchRow).min(1),
  /** How it was measured (request counts, concurrency, what was compared, repeats). */
  notes: z.array(z.string()).optional(),
});
export type BenchResult = z.infer<typeof BenchResult>;

export const StoredResult = BenchResult.extend({ measuredAt: z.iso.datetime(), quick: z.boolean() });
export type StoredResult = z.infer<typeof StoredResult>;

/** Where the figures were measured. */
export const BenchEnvironment = z.object({
  date: z.iso.datetime(),
  machine: z.object({ cpu: z.string(), cores: z.number().int().positive(), memoryGiB: z.number().positive(), os: z.string() }),
  node: z.string().min(1),
  wrangler: z.string().min(1),
  workerd: z.string().min(1),
});
export type BenchEnvironment = z.infer<typeof BenchEnvironment>;

/** `bench-results/latest.json`: the environment and each bench's latest result, by name. */
export const LatestResults = z.object({
  environment: BenchEnvironment,
  benches: z.record(z.string(), StoredResult),
});
export type LatestResults = z.infer<typeof LatestResults>;

/** How big a run is: the full one publishes; `--quick` runs every bench in a small form. */
export interface BenchRunOptions {
  quick: boolean;
}

/** A bench the runner knows: `run` measures and returns its rows. */
export interface BenchDefinition {
  name: string;
  description: string;
  run(options: BenchRunOptions): Promise<BenchResult>;
}
