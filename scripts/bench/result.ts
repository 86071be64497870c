/** One measured number, with the goal it is held to (if any) and whether it met it. */
export interface BenchRow {
  metric: string;
  value: number;
  unit: string;
  /** Human-readable goal, e.g. `>= 0.85`. */
  goal?: string;
  ok?: boolean;
}

export interface BenchResult {
  rows: BenchRow[];
  /** How it was measured (request counts, concurrency, what was compared). */
  notes?: string[];
}

/** A bench the runner knows: `run` measures and returns its rows. */
export interface BenchDefinition {
  name: string;
  description: string;
  run(): Promise<BenchResult>;
}
