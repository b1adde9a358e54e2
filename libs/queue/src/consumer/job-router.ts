import type { LoggerService } from '@nestjs/common';
import {
  describeZodError,
  type JobName,
  type JobResult,
  type ParsedJobData,
  type QueueContract,
} from '@slipway/contracts';
import { UnrecoverableError, type Job } from 'bullmq';
import { Counter, Histogram, type Registry } from 'prom-client';
import { InvalidJobError } from './invalid-job.error';

export type JobHandler<Q extends QueueContract, N extends JobName<Q>> = (
  data: ParsedJobData<Q, N>,
  job: Job,
) => Promise<JobResult<Q, N>>;

/** One handler per job name of the contract: a missing one fails to compile (and fails at start-up). */
export type JobHandlers<Q extends QueueContract> = { [N in JobName<Q>]: JobHandler<Q, N> };

export interface JobRouterOptions {
  logger: LoggerService;
  metrics: Registry;
  /** Errors that retrying cannot fix (bad data, bad spec): the job fails at once instead of retrying. */
  isPermanentError?: (error: unknown) => boolean;
}

/**
 * Dispatches a queue's jobs to their handlers: validates the payload on entry, logs start and end with
 * `{queue, job, jobId, runId, durationMs}`, counts outcomes, and turns permanent errors into BullMQ's UnrecoverableError.
 */
export class JobRouter<Q extends QueueContract> {
  private readonly outcomes: Counter<'queue' | 'job' | 'outcome' | 'error'>;
  private readonly durations: Histogram<'queue' | 'job'>;

  constructor(
    private readonly contract: Q,
    private readonly handlers: JobHandlers<Q>,
    private readonly options: JobRouterOptions,
  ) {
    assertHandlersComplete(contract, handlers);
    this.outcomes = getOrCreateCounter(options.metrics);
    this.durations = getOrCreateHistogram(options.metrics);
  }

  async process(job: Job): Promise<unknown> {
    const name = job.name as JobName<Q>;
    const context = { queue: this.contract.name, job: job.name, jobId: job.id, runId: runIdOf(job), attempt: job.attemptsMade + 1 };
    const startedAt = performance.now();
    this.options.logger.log({ event: 'job.started', ...context });
    try {
      const result = await this.dispatch(name, job);
      const durationMs = Math.round(performance.now() - startedAt);
      this.options.logger.log({ event: 'job.completed', ...context, durationMs });
      this.outcomes.inc({ queue: this.contract.name, job: job.name, outcome: 'completed', error: '' });
      this.durations.observe({ queue: this.contract.name, job: job.name }, durationMs / 1000);
      return result;
    } catch (error) {
      const durationMs = Math.round(performance.now() - startedAt);
      const permanent = error instanceof InvalidJobError || (this.options.isPermanentError?.(error) ?? false);
      const errorName = error instanceof Error ? error.name : 'unknown';
      const message = error instanceof Error ? error.message : String(error);
      this.options.logger.error({ event: 'job.failed', ...context, durationMs, error: errorName, message, permanent });
      this.outcomes.inc({ queue: this.contract.name, job: job.name, outcome: 'failed', error: errorName });
      if (permanent) throw new UnrecoverableError(message);
      throw error;
    }
  }

  private async dispatch(name: JobName<Q>, job: Job): Promise<unknown> {
    // Own keys only: a job named "constructor" must not find Object.prototype's member and fail with a retried TypeError.
    const jobContract = Object.hasOwn(this.contract.jobs, name) ? this.contract.jobs[name] : undefined;
    if (!jobContract) throw new InvalidJobError(`${this.contract.name}: no handler for job "${job.name}"`);
    const parsed = jobContract.data.safeParse(job.data);
    if (!parsed.success) throw new InvalidJobError(`${this.contract.name}/${job.name}: ${describeZodError(parsed.error)}`);
    return this.handlers[name](parsed.data as ParsedJobData<Q, typeof name>, job);
  }
}

/** Start-up completeness check: exactly one handler per job name, no handler for a job the contract does not know. */
function assertHandlersComplete(contract: QueueContract, handlers: Record<string, unknown>): void {
  const expected = Object.keys(contract.jobs);
  const missing = expected.filter((name) => typeof handlers[name] !== 'function');
  const unknown = Object.keys(handlers).filter((name) => !expected.includes(name));
  if (missing.length > 0 || unknown.length > 0) {
    const parts = [
      missing.length > 0 ? `no handler for ${missing.join(', ')}` : '',
      unknown.length > 0 ? `handlers for unknown jobs ${unknown.join(', ')}` : '',
    ].filter(Boolean);
    throw new Error(`queue "${contract.name}": ${parts.join('; ')}`);
  }
}

function runIdOf(job: Job): string | undefined {
  const runId = (job.data as { runId?: unknown } | undefined)?.runId;
  return typeof runId === 'string' ? runId : undefined;
}

function getOrCreateCounter(registry: Registry): Counter<'queue' | 'job' | 'outcome' | 'error'> {
  const name = 'slipway_jobs_processed_total';
  return (
    (registry.getSingleMetric(name) as Counter<'queue' | 'job' | 'outcome' | 'error'> | undefined) ??
    new Counter({ name, help: 'Jobs processed by this worker, by queue, job name, outcome and error class', labelNames: ['queue', 'job', 'outcome', 'error'], registers: [registry] })
  );
}

function getOrCreateHistogram(registry: Registry): Histogram<'queue' | 'job'> {
  const name = 'slipway_job_duration_seconds';
  return (
    (registry.getSingleMetric(name) as Histogram<'queue' | 'job'> | undefined) ??
    new Histogram({ name, help: 'Time spent processing a job', labelNames: ['queue', 'job'], buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800], registers: [registry] })
  );
}
