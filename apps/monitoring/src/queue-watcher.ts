import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { SERVICE_CONFIG, type MonitoringConfig } from '@slipway/config';
import { ALL_QUEUES, parseStepJobId, pipelineQueue, trainingProgressSchema, trainingQueue } from '@slipway/contracts';
import { PlatformMetrics, RunTracker } from '@slipway/platform-metrics';
import { QUEUE_SETTINGS, redisOptionsFromUrl, type QueueSettings } from '@slipway/queue';
import { Queue, QueueEvents } from 'bullmq';

/** Queue depths (read every SLIPWAY_QUEUE_POLL_MS), job outcomes, step states and training progress (from each queue's event stream). */
@Injectable()
export class QueueWatcher implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(QueueWatcher.name);
  private readonly queues: Queue[] = [];
  private readonly listeners: QueueEvents[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly platform: PlatformMetrics,
    private readonly runs: RunTracker,
    @Inject(QUEUE_SETTINGS) private readonly settings: QueueSettings,
    @Inject(SERVICE_CONFIG) private readonly config: MonitoringConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const options = { connection: redisOptionsFromUrl(this.settings.redisUrl), prefix: this.settings.prefix };
    for (const contract of ALL_QUEUES) {
      const events = new QueueEvents(contract.name, options);
      // The pipeline queue's jobs share their step's id but only report it; they complete even when the step failed.
      const stepQueue = contract.name !== pipelineQueue.name;
      events.on('completed', ({ jobId }: { jobId: string }) => {
        this.platform.jobFinished(contract.name, 'completed');
        if (stepQueue) this.stepChanged(jobId, 'succeeded');
      });
      events.on('failed', ({ jobId }: { jobId: string }) => {
        this.platform.jobFinished(contract.name, 'failed');
        if (stepQueue) this.stepChanged(jobId, 'failed');
      });
      events.on('active', ({ jobId }: { jobId: string }) => {
        if (stepQueue) this.stepChanged(jobId, 'running');
      });
      if (contract.name === trainingQueue.name) {
        events.on('progress', ({ jobId, data }: { jobId: string; data: unknown }) => {
          const step = parseStepJobId(jobId);
          const progress = trainingProgressSchema.safeParse(data);
          if (step && progress.success) this.runs.trainingProgress(step.runId, step.step, progress.data);
        });
      }
      await events.waitUntilReady();
      this.listeners.push(events);
      this.queues.push(new Queue(contract.name, options));
    }
    await this.readDepths();
    this.timer = setInterval(() => void this.readDepths(), this.config.SLIPWAY_QUEUE_POLL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.listeners, ...this.queues].map((closable) => closable.close()));
  }

  /** Jobs of pipeline steps carry `<run-id>.<step>.<generation>` ids; other jobs (events) are not steps. */
  private stepChanged(jobId: string, status: 'running' | 'succeeded' | 'failed'): void {
    const step = parseStepJobId(jobId);
    if (step) this.runs.stepChanged(step.runId, step.step, status);
  }

  private async readDepths(): Promise<void> {
    try {
      for (const queue of this.queues) {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed');
        this.platform.setQueueCounts(queue.name, {
          waiting: counts['waiting'] ?? 0,
          active: counts['active'] ?? 0,
          delayed: counts['delayed'] ?? 0,
          prioritized: counts['prioritized'] ?? 0,
          completed: counts['completed'] ?? 0,
          failed: counts['failed'] ?? 0,
        });
      }
    } catch (error) {
      this.logger.warn({ event: 'queue-depth.unreadable', error: (error as Error).message });
    }
  }
}
