import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import { dataPrepQueue, pipelineQueue, registrationQueue, trainingQueue } from '@slipway/contracts';
import { METRICS_REGISTRY } from '@slipway/observability';
import { InvalidJobError, JobRouter, workerOptions } from '@slipway/queue';
import { PipelineEngine, type StepOutcome } from '@slipway/registry';
import type { Job, Queue } from 'bullmq';
import type { Registry } from 'prom-client';

/**
 * A step's job has finished: record how, and queue what became ready. Several outcomes are read from Redis at once
 * (a grid's trainings end together); the engine still takes its decisions one at a time.
 */
@Processor(pipelineQueue.name, workerOptions(pipelineQueue, { concurrency: 8 }))
export class PipelineProcessor extends WorkerHost {
  private readonly router: JobRouter<typeof pipelineQueue>;

  private readonly stepQueues: ReadonlyMap<string, Queue>;

  constructor(
    engine: PipelineEngine,
    @Inject(METRICS_REGISTRY) metrics: Registry,
    @InjectQueue(dataPrepQueue.name) dataPrep: Queue,
    @InjectQueue(trainingQueue.name) training: Queue,
    @InjectQueue(registrationQueue.name) registration: Queue,
  ) {
    super();
    this.stepQueues = new Map([dataPrep, training, registration].map((queue) => [queue.name, queue]));
    this.router = new JobRouter(
      pipelineQueue,
      {
        'step-finished': async ({ runId, step, generation }, job) => {
          const queued = await engine.recordOutcome(runId, step, generation, await this.outcomeOfChild(job));
          return { queued };
        },
      },
      { logger: new Logger(PipelineProcessor.name), metrics },
    );
  }

  process(job: Job): Promise<unknown> {
    return this.router.process(job);
  }

  /** The step job's result or final failure, with its own timings (the registry may not have seen it start). */
  private async outcomeOfChild(parent: Job): Promise<StepOutcome> {
    const [values, failures] = await Promise.all([parent.getChildrenValues(), parent.getIgnoredChildrenFailures()]);
    const childKey = Object.keys(values)[0] ?? Object.keys(failures)[0];
    if (childKey === undefined) throw new InvalidJobError(`${pipelineQueue.name}/step-finished ${parent.id}: its step job left no result and no failure`);
    // Child keys read `<prefix>:<queue>:<id>`; the prefix may itself contain colons.
    const [queueName, id] = childKey.split(':').slice(-2);
    const child = await this.stepQueues.get(queueName)?.getJob(id);
    const job = {
      attempts: child?.attemptsStarted ?? 1,
      startedAt: child?.processedOn ? new Date(child.processedOn).toISOString() : null,
      finishedAt: child?.finishedOn ? new Date(child.finishedOn).toISOString() : null,
    };
    if (childKey in failures) return { ok: false, error: failures[childKey], job };
    return { ok: true, result: values[childKey], job };
  }
}
