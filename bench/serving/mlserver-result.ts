import type { TargetCheck } from './bench-result';
import type { RoundMeasurement } from './interleaved-load';
import type { Agreement } from './prediction-agreement';
import type { CodeVersion, MachineDescription } from './machine-description';

export const SLIPWAY = 'slipway';
export const MLSERVER = 'mlserver';

/** One server at one connection count: the median of its rounds for each figure. */
export interface ServerSummary {
  configuration: string;
  connections: number;
  rounds: number;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

export interface Comparison {
  connections: number;
  slipway: ServerSummary;
  mlserver: ServerSummary;
  /** Slipway's req/s over MLServer's. */
  throughputRatio: number;
}

export interface MlserverBenchResult {
  benchmark: 'mlserver';
  description: string;
  startedAt: string;
  /** True when the durations were shortened (SLIPWAY_BENCH_DURATION_SEC): the figures only show that the bench runs. */
  smokeRun: boolean;
  code: CodeVersion;
  machine: MachineDescription;
  caveats: string[];
  servers: { slipway: Record<string, unknown>; mlserver: Record<string, unknown> };
  agreement: Agreement;
  request: { method: 'POST'; path: string; contentType: string; body: unknown };
  load: { tool: string; connections: readonly number[]; rounds: number; warmupSec: number; durationSec: number; pipelining: number; order: string };
  measurements: RoundMeasurement[];
  comparisons: Comparison[];
  targets: TargetCheck[];
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
};
const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

function summarize(measurements: RoundMeasurement[], configuration: string, connections: number): ServerSummary {
  const cell = measurements.filter((m) => m.configuration === configuration && m.connections === connections);
  if (cell.length === 0) throw new Error(`no measurement of ${configuration} at ${connections} connections`);
  return {
    configuration,
    connections,
    rounds: cell.length,
    requestsPerSec: round(median(cell.map((m) => m.requestsPerSec)), 1),
    p50Ms: round(median(cell.map((m) => m.latency.p50Ms)), 3),
    p99Ms: round(median(cell.map((m) => m.latency.p99Ms)), 3),
  };
}

export function compare(measurements: RoundMeasurement[], connectionCounts: readonly number[]): Comparison[] {
  return connectionCounts.map((connections) => {
    const slipway = summarize(measurements, SLIPWAY, connections);
    const mlserver = summarize(measurements, MLSERVER, connections);
    return { connections, slipway, mlserver, throughputRatio: round(slipway.requestsPerSec / mlserver.requestsPerSec, 2) };
  });
}

/** The goal at full load, computed from this run's medians (reported, never enforced). */
export function checkGoals(comparisons: Comparison[], connections: number): TargetCheck[] {
  const atFullLoad = comparisons.find((comparison) => comparison.connections === connections);
  if (!atFullLoad) throw new Error(`no comparison at ${connections} connections`);
  const { slipway, mlserver, throughputRatio } = atFullLoad;
  return [
    { name: `Slipway / MLServer throughput at ${connections} connections`, value: throughputRatio, target: '>= 3', met: throughputRatio >= 3 },
    { name: `Slipway p99 latency at ${connections} connections (ms), against MLServer's ${mlserver.p99Ms} ms`, value: slipway.p99Ms, target: `< ${mlserver.p99Ms}`, met: slipway.p99Ms < mlserver.p99Ms },
  ];
}
