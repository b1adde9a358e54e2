import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { pipelineQueue, STEP_QUEUES, stepJobId, type QueueContract } from '@slipway/contracts';
import { flowNode, observeRedisErrors, pingRedis, QUEUE_SETTINGS, queueTelemetry, REQUEST_REDIS, redisOptionsFromUrl, type QueueSettings } from '@slipway/queue';
import type { StepDispatch, StepDispatcher } from '@slipway/registry';
import { FlowProducer, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * Queues each step as a two-job BullMQ flow: the step's job, under a `step-finished` parent on the pipeline
 * queue. The child ignores its dependency on failure, so the parent runs when the step succeeded or failed for
 * good, and reports it to the engine. Both have the step's deterministic id: queuing a step twice adds nothing.
 */
@Injectable()
export class BullmqStepDispatcher implements StepDispatcher, OnApplicationShutdown {
  private readonly flows: FlowProducer;

  constructor(
    @Inject(QUEUE_SETTINGS) private readonly settings: QueueSettings,
    @Inject(REQUEST_REDIS) private readonly requests: Redis,
  ) {
    // With tracing on, each step's jobs join the trace of whatever queued them: the run's REST call, then each step-finished job.
    // Fail-fast like every connection of a request path: a flow added while Redis is away fails now, instead of
    // hanging the request and being queued (behind the caller's back) once Redis returns.
    const connection = { ...redisOptionsFromUrl(settings.redisUrl), enableOfflineQueue: false, maxRetriesPerRequest: 1 };
    this.flows = observeRedisErrors('flow producer', new FlowProducer({ connection, prefix: settings.prefix, telemetry: queueTelemetry() }));
  }

  assertReachable(): Promise<void> {
    return pingRedis(this.requests);
  }

  async dispatch(step: StepDispatch): Promise<void> {
    const { prefix } = this.settings;
    const jobId = stepJobId(step.runId, step.step, step.generation);
    const retry: JobsOptions = step.retry ? { attempts: step.retry.attempts, backoff: { type: 'exponential', delay: step.retry.backoffMs } } : {};
    // StepDispatch pairs each kind's job with its own payload type; flowNode validates the data against that job's schema again.
    const contract: QueueContract = STEP_QUEUES[step.kind];
    await this.flows.add(
      flowNode(pipelineQueue, 'step-finished', { runId: step.runId, step: step.step, generation: step.generation }, {
        prefix,
        jobId,
        children: [flowNode(contract, step.job, step.data, { prefix, jobId, opts: { ...retry, ignoreDependencyOnFailure: true } })],
      }),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flows.close();
  }
}
