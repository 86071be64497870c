/**
 * Resident memory of this process and of its descendants (workerd), from Linux's /proc: the local
 * edge runs its control plane in this process and its data plane in a workerd child.
 */
import { readdir, readFile } from 'node:fs/promises';

export interface ProcessMemory {
  nodeMiB: number;
  childrenMiB: number;
}

async function statusField(pid: number, field: string): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const line = status.split('\n').find((candidate) => candidate.startsWith(`${field}:`));
    return line ? Number.parseInt(line.slice(field.length + 1).trim(), 10) : undefined;
  } catch {
    return undefined; // The process ended while we looked.
  }
}

/** This process's and its descendants' RSS in MiB, or undefined where /proc is not available. */
export async function processTreeMemory(): Promise<ProcessMemory | undefined> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return undefined;
  }
  const parents = new Map<number, number>();
  for (const entry of entries.filter((name) => /^\d+$/.test(name))) {
    const parent = await statusField(Number(entry), 'PPid');
    if (parent !== undefined) parents.set(Number(entry), parent);
  }
  const descendants = new Set<number>([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (descendants.has(parent) && !descendants.has(pid)) {
        descendants.add(pid);
        grew = true;
      }
    }
  }
  descendants.delete(process.pid);
  let childrenKiB = 0;
  for (const pid of descendants) childrenKiB += (await statusField(pid, 'VmRSS')) ?? 0;
  const nodeKiB = (await statusField(process.pid, 'VmRSS')) ?? 0;
  return { nodeMiB: nodeKiB / 1024, childrenMiB: childrenKiB / 1024 };
}
