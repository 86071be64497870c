/**
 * Resident memory of this process and of its descendants (workerd), from Linux's /proc: the local
 * edge runs its control plane in this process and its data plane in a workerd child.
 */
import { descendantPids, statusField } from './process-tree.ts';

export interface ProcessMemory {
  nodeMiB: number;
  childrenMiB: number;
}

/** This process's and its descendants' RSS in MiB, or undefined where /proc is not available. */
export async function processTreeMemory(): Promise<ProcessMemory | undefined> {
  const descendants = await descendantPids();
  if (!descendants) return undefined;
  let childrenKiB = 0;
  for (const pid of descendants) childrenKiB += (await statusField(pid, 'VmRSS')) ?? 0;
  const nodeKiB = (await statusField(process.pid, 'VmRSS')) ?? 0;
  return { nodeMiB: nodeKiB / 1024, childrenMiB: childrenKiB / 1024 };
}
