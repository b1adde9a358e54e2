import { isTracingEnabled } from '@slipway/observability';
import type { Telemetry } from 'bullmq';
import { BullMQOtel } from 'bullmq-otel';

/**
 * BullMQ's `telemetry` option for a Queue, Worker or FlowProducer: with it, adding a job opens a PRODUCER span and
 * stores the active trace context in the job's options, and the worker that processes the job opens a CONSUMER
 * span in that trace around the processor. Undefined while tracing is off, so BullMQ skips all of that work.
 * Call it after startTracing (runService starts tracing before it builds the app's modules).
 */
export function queueTelemetry(): Telemetry | undefined {
  return isTracingEnabled() ? new BullMQOtel('bullmq') : undefined;
}
