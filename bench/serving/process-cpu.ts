import { existsSync, readFileSync } from 'node:fs';

/** Linux counts process CPU time in ticks of USER_HZ, which is 100 per second on mainstream kernel builds. */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system) a process has used so far, in milliseconds, from /proc/<pid>/stat; undefined without a
 * procfs entry for it. A server's CPU time per request moves far less with other load on the machine than its
 * latency does, so it is the figure to compare builds by on a busy machine.
 */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return undefined;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces and parentheses: count fields from the last ')'. utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND) * 1000;
}
