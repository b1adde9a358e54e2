import { measureLoad, type LoadTarget, type Measurement } from './load';

export interface RoundMeasurement extends Measurement {
  /** 1-based; within a round every target runs once, in the order given. */
  round: number;
}

export interface InterleavedPlan {
  connections: readonly number[];
  rounds: number;
  warmupSec: number;
  durationSec: number;
}

/**
 * For each connection count: a warm-up of every target (also required to be error-free), then `rounds` rounds of
 * A, B, A, B …, so a slow spell of a busy machine falls on both servers rather than on one.
 */
export async function measureInterleaved(targets: readonly LoadTarget[], plan: InterleavedPlan, onMeasured: (m: RoundMeasurement) => void): Promise<RoundMeasurement[]> {
  const measurements: RoundMeasurement[] = [];
  for (const connections of plan.connections) {
    for (const target of targets) await measureLoad(target, connections, plan.warmupSec);
    for (let round = 1; round <= plan.rounds; round += 1) {
      for (const target of targets) {
        const measurement = { ...(await measureLoad(target, connections, plan.durationSec)), round };
        measurements.push(measurement);
        onMeasured(measurement);
      }
    }
  }
  return measurements;
}
