/** Whether the process `pid` runs on this host (EPERM: it runs, as another user). Lock files use it to take over a dead owner's lock. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
