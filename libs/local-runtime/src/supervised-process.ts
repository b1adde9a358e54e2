import type { ExitInfo, StopOutcome } from './process-group';

/** A child process the launcher starts, watches, restarts and stops: a platform service or the redis-server. */
export interface SupervisedProcess {
  readonly name: string;
  readonly port: number;
  readonly pid: number | undefined;
  /** Where its output goes, for the sentence that reports a crash. */
  readonly spec: { logFile: string };
  start(): Promise<void>;
  /** Rejects when the process dies first or is not ready in time. */
  waitUntilReady(timeoutMs: number): Promise<void>;
  stop(graceMs: number): Promise<StopOutcome>;
  onExit(listener: (exit: ExitInfo) => void): void;
}
