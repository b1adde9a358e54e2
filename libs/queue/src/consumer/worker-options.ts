import type { QueueContract } from '@slipway/contracts';
import { MetricsTime, type WorkerOptions } from 'bullmq';

/**
 * The BullMQ worker options every consumer of `contract` starts with: its lock duration, and BullMQ's own job
 * metrics, which keep in Redis how many jobs of the queue completed and failed (the totals monitoring polls, so
 * a restarted monitoring loses no count). `overrides` win.
 */
export function workerOptions(contract: QueueContract, overrides: Partial<WorkerOptions> = {}): Partial<WorkerOptions> {
  // The totals are all monitoring reads; an hour of per-minute points is the least BullMQ keeps beside them.
  return { lockDuration: contract.lockDurationMs, metrics: { maxDataPoints: MetricsTime.ONE_HOUR }, ...overrides };
}
