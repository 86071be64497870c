/**
 * Signals to a whole process group: a command started with `detached: true` leads its own group,
 * and its children (node re-spawned by a bin, workerd) are in it too.
 */

/** Sends `signal` to every process of group `pgid`; false when none is left (ESRCH). `0` only asks. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Whether any process of the group is alive, as `kill(-pgid, 0)` tells (zombies count until reaped). */
export function groupAlive(pgid: number): boolean {
  return signalGroup(pgid, 0);
}
