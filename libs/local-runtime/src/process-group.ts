import type { ChildProcess } from 'node:child_process';

/** How a child ended: `signal` is set when a signal (kill -9, the OOM killer, a native crash) ended it. */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export function describeExit({ code, signal }: ExitInfo): string {
  return signal ? `was killed by ${signal}` : `exited with code ${code}`;
}

export function hasExited(child: ChildProcess | undefined): boolean {
  return child !== undefined && (child.exitCode !== null || child.signalCode !== null);
}

/**
 * Signals the child's whole process group. Children are spawned `detached`, so each leads a group of its own:
 * the terminal's Ctrl+C reaches the launcher alone, which then stops them in order, and anything a child forked
 * goes with it.
 */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || hasExited(child)) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone (the child exited between the check and the kill).
  }
}

/** How a stop went: `terminated` after SIGTERM within the grace period, `killed` when SIGKILL was needed. */
export type StopOutcome = 'not-running' | 'terminated' | 'killed';

/** SIGTERM to the group, SIGKILL to it once the grace period passes; resolves when the child has exited. */
export async function stopGroup(child: ChildProcess | undefined, graceMs: number): Promise<StopOutcome> {
  if (!child || hasExited(child)) return 'not-running';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalGroup(child, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const overstayed = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
  const first = await Promise.race([exited.then(() => 'exited' as const), overstayed]);
  clearTimeout(timer);
  if (first === 'exited') return 'terminated';
  signalGroup(child, 'SIGKILL');
  await exited;
  return 'killed';
}

/** SIGKILL to the group, with no chance to clean up, as a crash would; resolves when the child has exited. */
export async function killGroup(child: ChildProcess | undefined): Promise<void> {
  if (!child || hasExited(child)) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  signalGroup(child, 'SIGKILL');
  await exited;
}
