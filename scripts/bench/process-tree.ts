/** This process's descendants (workerd, wrangler, …) and their CPU time, from Linux's /proc. */
import { readdir, readFile } from 'node:fs/promises';

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** A field of /proc/<pid>/status (a number, in its unit), or undefined once the process is gone. */
export async function statusField(pid: number, field: string): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const line = status.split('\n').find((candidate) => candidate.startsWith(`${field}:`));
    return line ? Number.parseInt(line.slice(field.length + 1).trim(), 10) : undefined;
  } catch {
    return undefined; // The process ended while we looked.
  }
}

/** The pids of this process's descendants, or undefined where /proc is not available. */
export async function descendantPids(): Promise<Set<number> | undefined> {
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
  return descendants;
}

/** User + system CPU milliseconds of one /proc `stat` file, or 0 once its process or thread is gone. */
async function statCpuMs(path: string): Promise<number> {
  try {
    const stat = await readFile(path, 'utf8');
    // Fields after the command name (which may hold spaces) in parentheses; utime and stime are the 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0; // Gone.
  }
}

/** User + system CPU milliseconds the processes have used so far (those gone count 0). */
export async function cpuMs(pids: Iterable<number>): Promise<number> {
  let total = 0;
  for (const pid of pids) total += await statCpuMs(`/proc/${pid}/stat`);
  return total;
}

/** The ids of this process's threads now (the main thread's is the pid); empty where /proc is not available. */
export async function threadIds(): Promise<Set<number>> {
  try {
    return new Set((await readdir('/proc/self/task')).map(Number));
  } catch {
    return new Set();
  }
}

/** User + system CPU milliseconds these threads of this process have used so far (each alone, not the whole process). */
export async function threadCpuMs(tids: Iterable<number>): Promise<number> {
  let total = 0;
  for (const tid of tids) total += await statCpuMs(`/proc/self/task/${tid}/stat`);
  return total;
}
