import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { dataPrepQueue, describeZodError, parseStepJobId, trainingProgressSchema, trainingQueue, type StepJobRef } from '@slipway/contracts';
import { observeRedisErrors, QUEUE_SETTINGS, redisOptionsFromUrl, type QueueSettings } from '@slipway/queue';
import { HealthService } from '@slipway/observability';
import { RunService } from '@slipway/registry';
import { QueueEvents, type Queue } from 'bullmq';

type StepEvent = { jobId: string };

/**
 * Shows data-prep and training jobs live in their runs: a step is running from the moment a worker takes it
 * (each attempt, restarts after a crash included, counts), and a training's epochs arrive as they end. Outcomes
 * do not come from here but from the step's parent job on the pipeline queue, which cannot be missed.
 */
@Injectable()
export class StepTracker implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(StepTracker.name);
  private readonly listeners: QueueEvents[] = [];
  private listening = false;

  constructor(
    private readonly runs: RunService,
    @Inject(QUEUE_SETTINGS) private readonly settings: QueueSettings,
    @InjectQueue(dataPrepQueue.name) private readonly dataPrep: Queue,
    @InjectQueue(trainingQueue.name) private readonly training: Queue,
    private readonly health: HealthService,
  ) {}

  /**
   * Not waiting for Redis: the registry answers HTTP while Redis is away, and is not ready until the listeners are
   * (an epoch reported before they listen would be missing from its run).
   */
  onModuleInit(): void {
    const listening: Promise<unknown>[] = [];
    const options = { connection: redisOptionsFromUrl(this.settings.redisUrl), prefix: this.settings.prefix };
    for (const queue of [this.dataPrep, this.training]) {
      const events = observeRedisErrors(`queue events ${queue.name}`, new QueueEvents(queue.name, options));
      events.on('active', (event: StepEvent) => this.track(event, 'active', async ({ runId, step }) => {
        const job = await queue.getJob(event.jobId);
        await this.runs.markStepStarted(runId, step, job?.attemptsStarted ?? 1);
      }));
      events.on('progress', (event: StepEvent & { data: unknown }) => this.track(event, 'progress', ({ runId, step }) => this.recordProgress(runId, step, event.data)));
      this.listeners.push(events);
      listening.push(events.waitUntilReady());
    }
    Promise.all(listening).then(() => (this.listening = true), () => undefined);
    this.health.register('step-events', async () => {
      if (!this.listening) throw new Error('not listening to step events yet (waiting for Redis)');
    });
  }

  /** A listener still waiting for Redis is not waited for: BullMQ's close() awaits the connection, which may never come. */
  async onApplicationShutdown(): Promise<void> {
    if (this.listening) {
      await Promise.all(this.listeners.map((listener) => listener.close()));
      return;
    }
    for (const listener of this.listeners) listener.close().catch(() => undefined);
  }

  private track(event: StepEvent, kind: string, apply: (ref: StepJobRef) => Promise<unknown>): void {
    const ref = parseStepJobId(event.jobId);
    if (!ref) return;
    apply(ref).catch((error: unknown) =>
      this.logger.error({ event: 'step-tracker.failed', kind, jobId: event.jobId, runId: ref.runId, error: (error as Error).message }),
    );
  }

  private async recordProgress(runId: string, step: string, data: unknown): Promise<void> {
    const progress = trainingProgressSchema.safeParse(data);
    if (!progress.success) throw new Error(`training progress of ${runId}/${step} does not match its contract: ${describeZodError(progress.error)}`);
    await this.runs.recordEpoch(runId, step, progress.data);
  }
}
