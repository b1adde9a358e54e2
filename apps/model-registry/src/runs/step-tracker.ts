import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import {
  dataPrepQueue,
  describeZodError,
  parseStepJobId,
  preparedDatasetRefSchema,
  registrationQueue,
  trainedModelSchema,
  trainingProgressSchema,
  trainingQueue,
  type StepName,
} from '@slipway/contracts';
import { QUEUE_SETTINGS, redisOptionsFromUrl, type QueueSettings } from '@slipway/queue';
import { RunService } from '@slipway/registry';
import { InjectQueue } from '@nestjs/bullmq';
import { QueueEvents, type Queue } from 'bullmq';

type StepEvent = { jobId: string };

/**
 * Mirrors the data-prep and training jobs of every run into the registry: start, per-epoch progress,
 * result and final failure, from BullMQ's queue event streams.
 */
@Injectable()
export class StepTracker implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(StepTracker.name);
  private readonly listeners: QueueEvents[] = [];

  constructor(
    private readonly runs: RunService,
    @Inject(QUEUE_SETTINGS) private readonly settings: QueueSettings,
    @InjectQueue(dataPrepQueue.name) private readonly dataPrep: Queue,
    @InjectQueue(trainingQueue.name) private readonly training: Queue,
  ) {}

  async onModuleInit(): Promise<void> {
    const options = { connection: redisOptionsFromUrl(this.settings.redisUrl), prefix: this.settings.prefix };
    for (const queue of [this.dataPrep, this.training]) {
      const events = new QueueEvents(queue.name, options);
      events.on('active', (event: StepEvent) => this.track(event, 'active', async (runId, step) => {
        const job = await queue.getJob(event.jobId);
        await this.runs.markStepStarted(runId, step, job?.attemptsStarted ?? 1);
      }));
      events.on('progress', (event: StepEvent & { data: unknown }) => this.track(event, 'progress', (runId) => this.recordProgress(runId, event.data)));
      events.on('completed', (event: StepEvent & { returnvalue: unknown }) => this.track(event, 'completed', (runId, step) => this.recordResult(runId, step, event.returnvalue)));
      events.on('failed', (event: StepEvent & { failedReason: string }) => this.track(event, 'failed', (runId, step) => this.recordFailure(runId, step, event.failedReason)));
      await events.waitUntilReady();
      this.listeners.push(events);
    }
    // Registration runs in this service and records its own start and success; only its final failure comes from here.
    const registrations = new QueueEvents(registrationQueue.name, options);
    registrations.on('failed', (event: StepEvent & { failedReason: string }) => this.track(event, 'failed', (runId, step) => this.recordFailure(runId, step, event.failedReason)));
    await registrations.waitUntilReady();
    this.listeners.push(registrations);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.listeners.map((listener) => listener.close()));
  }

  private track(event: StepEvent, kind: string, apply: (runId: string, step: StepName) => Promise<unknown>): void {
    const step = parseStepJobId(event.jobId);
    if (!step) return;
    apply(step.runId, step.step).catch((error: unknown) =>
      this.logger.error({ event: 'step-tracker.failed', kind, jobId: event.jobId, runId: step.runId, error: (error as Error).message }),
    );
  }

  private async recordProgress(runId: string, data: unknown): Promise<void> {
    const progress = trainingProgressSchema.safeParse(data);
    if (!progress.success) throw new Error(`training progress of ${runId} does not match its contract: ${describeZodError(progress.error)}`);
    await this.runs.recordEpoch(runId, progress.data);
  }

  private async recordResult(runId: string, step: StepName, returnvalue: unknown): Promise<void> {
    const value = typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue;
    if (step === 'prepare') await this.runs.recordPreparedDataset(runId, preparedDatasetRefSchema.parse(value));
    if (step === 'train') await this.runs.recordTrainedModel(runId, trainedModelSchema.parse(value));
    await this.runs.markStepSucceeded(runId, step);
  }

  /** A parent failed because its child did: the child's failure already names the cause. */
  private async recordFailure(runId: string, step: StepName, reason: string): Promise<void> {
    const run = await this.runs.getRun(runId);
    if (run.status === 'failed') return;
    await this.runs.markStepFailed(runId, step, reason, true);
  }
}
