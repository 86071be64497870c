/**
 * Where a bench mode's CPU goes, per request: named parts that are threads of this process (the
 * client on the main thread, the data plane's listener thread) or child processes (workerd), read
 * from Linux's /proc around each round. CPU time rather than wall time, so a shared machine's load
 * does not blur it; zero where /proc is not available.
 */
import { cpuMs, threadCpuMs } from './process-tree.ts';

/** A part of the path a request takes: this process's threads or child processes, by id. */
export type CpuPart = { threads: readonly number[] } | { processes: readonly number[] };

async function partMs(part: CpuPart): Promise<number> {
  return 'threads' in part ? threadCpuMs(part.threads) : cpuMs(part.processes);
}

export class CpuTally<Name extends string> {
  private readonly ms = new Map<Name, number>();
  private requests = 0;

  constructor(private readonly parts: Record<Name, CpuPart>) {}

  private async sample(): Promise<Map<Name, number>> {
    const now = new Map<Name, number>();
    for (const [name, part] of Object.entries(this.parts) as [Name, CpuPart][]) now.set(name, await partMs(part));
    return now;
  }

  /** Runs one round of load and adds its CPU and its requests to the tally. */
  async round<Result extends { requests: number }>(load: () => Promise<Result>): Promise<Result> {
    const before = await this.sample();
    const result = await load();
    const after = await this.sample();
    for (const [name, ms] of after) this.ms.set(name, (this.ms.get(name) ?? 0) + ms - (before.get(name) ?? 0));
    this.requests += result.requests;
    return result;
  }

  /** CPU microseconds per request the part used over every round so far. */
  microsPerRequest(name: Name): number {
    return this.requests === 0 ? 0 : ((this.ms.get(name) ?? 0) * 1000) / this.requests;
  }
}
