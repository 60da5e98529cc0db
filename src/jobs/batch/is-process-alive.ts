/**
 * Whether a process with this id is running on this machine (signal 0 probes without signalling).
 * A process of another user counts as alive (`EPERM`). An id may have been reused by an unrelated
 * process after the one that wrote it died; callers then err on the side of "alive".
 *
 * @example
 * isProcessAlive(process.pid); // true
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
