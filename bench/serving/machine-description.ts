import { execFileSync } from 'node:child_process';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';

/** loadAverageAtStart: the 1-minute load average before the bench started anything. */
export interface MachineDescription {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  node: string;
  loadAverageAtStart: number;
}

export interface CodeVersion {
  commit: string;
  uncommittedChanges: boolean;
}

/** Call before the bench's own processes start: a busy machine (a build, another bench) shows in the load average. */
export function describeMachine(): MachineDescription {
  const loadAverageAtStart = Math.round((loadavg()[0] ?? NaN) * 100) / 100;
  return { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10, os: `${platform()} ${release()}`, node: process.version, loadAverageAtStart };
}

export function codeVersionOf(workspaceRoot: string): CodeVersion {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: workspaceRoot, encoding: 'utf8' }).trim();
  return { commit: git('rev-parse', 'HEAD'), uncommittedChanges: git('status', '--porcelain').length > 0 };
}
