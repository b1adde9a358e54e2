import type { DemoModel } from './demo-platform';
import type { LatencySummary } from './latency-summary';
import type { Measurement } from './load';
import type { CodeVersion, MachineDescription } from './machine-description';

export const CEILING = 'bare-fastify';
export const UNBATCHED = 'serving-batching-off';
export const BATCHED = 'serving-batching-on';

export interface Configuration {
  name: string;
  description: string;
  /** Variables added to serving's environment (none for the ceiling). */
  env: Record<string, string>;
}

export interface LivenessSample {
  configuration: string;
  connections: number;
  url: string;
  intervalMs: number;
  latency: LatencySummary;
  failures: string[];
}

export interface TargetCheck {
  name: string;
  value: number;
  target: string;
  met: boolean;
}

export interface BenchResult {
  benchmark: 'serving';
  description: string;
  startedAt: string;
  /** servingBuild: fingerprint of dist/apps/serving, the code every serving configuration ran. */
  code: CodeVersion & { servingBuild: string };
  machine: MachineDescription;
  caveats: string[];
  model: DemoModel;
  request: { method: 'POST'; path: string; contentType: string; body: unknown };
  load: { tool: string; connections: readonly number[]; warmupSec: number; durationSec: number; pipelining: number };
  configurations: Configuration[];
  measurements: Measurement[];
  liveness: LivenessSample[];
  targets: TargetCheck[];
}

const at = (measurements: Measurement[], configuration: string, connections: number): Measurement => {
  const found = measurements.find((m) => m.configuration === configuration && m.connections === connections);
  if (!found) throw new Error(`no measurement of ${configuration} at ${connections} connections`);
  return found;
};

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Issue 3's speed targets, computed from this run's figures (reported, never enforced). */
export function checkTargets(measurements: Measurement[], liveness: LivenessSample[], connections: number): TargetCheck[] {
  const batched = at(measurements, BATCHED, connections);
  const unbatched = at(measurements, UNBATCHED, connections);
  const ceiling = at(measurements, CEILING, connections);
  const checks: TargetCheck[] = [
    { name: `batched / unbatched throughput at ${connections} connections`, value: round(batched.requestsPerSec / unbatched.requestsPerSec, 2), target: '>= 5', met: batched.requestsPerSec >= 5 * unbatched.requestsPerSec },
    { name: `batched / bare-Fastify ceiling throughput at ${connections} connections`, value: round(batched.requestsPerSec / ceiling.requestsPerSec, 3), target: '>= 0.5', met: batched.requestsPerSec >= 0.5 * ceiling.requestsPerSec },
    { name: `batched p99 latency at ${connections} connections (ms)`, value: batched.latency.p99Ms, target: '<= 25', met: batched.latency.p99Ms <= 25 },
  ];
  const probe = liveness.find((sample) => sample.configuration === BATCHED && sample.connections === connections);
  if (probe) {
    checks.push({
      name: `GET /v2/health/live max latency during the batched ${connections}-connection load (ms)`,
      value: probe.latency.maxMs,
      target: '< 50, no failures',
      met: probe.latency.maxMs < 50 && probe.failures.length === 0,
    });
  }
  return checks;
}
