import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { SERVICE_CONFIG, type MonitoringConfig } from '@slipway/config';
import { ALL_QUEUES } from '@slipway/contracts';
import { PlatformMetrics } from '@slipway/platform-metrics';
import { observeRedisErrors, QUEUE_SETTINGS, redisOptionsFromUrl, type QueueSettings } from '@slipway/queue';
import { Queue } from 'bullmq';

/**
 * Every queue's depth by state and its totals of finished jobs (BullMQ's job metrics), read every
 * SLIPWAY_QUEUE_POLL_MS. Step states come from the registry's step-status events, not from here.
 */
@Injectable()
export class QueueWatcher implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(QueueWatcher.name);
  private readonly queues: Queue[] = [];
  private timer?: NodeJS.Timeout;
  private reading: Promise<void> | undefined;

  constructor(
    private readonly platform: PlatformMetrics,
    @Inject(QUEUE_SETTINGS) private readonly settings: QueueSettings,
    @Inject(SERVICE_CONFIG) private readonly config: MonitoringConfig,
  ) {}

  /** Not waiting for Redis: monitoring answers HTTP (and says it is not ready) while Redis is away. */
  onModuleInit(): void {
    const options = { connection: redisOptionsFromUrl(this.settings.redisUrl), prefix: this.settings.prefix };
    for (const contract of ALL_QUEUES) this.queues.push(observeRedisErrors(`queue ${contract.name} (depth)`, new Queue(contract.name, options)));
    const read = () => {
      // While Redis is away a read waits for it: the next tick does not pile another one on top.
      this.reading ??= this.readQueues().finally(() => (this.reading = undefined));
    };
    read();
    this.timer = setInterval(read, this.config.SLIPWAY_QUEUE_POLL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.queues.map((queue) => queue.close()));
  }

  private async readQueues(): Promise<void> {
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
        // Only the totals are read: the first data point is the least a range can ask for.
        const [completed, failed] = await Promise.all([queue.getMetrics('completed', 0, 0), queue.getMetrics('failed', 0, 0)]);
        this.platform.setFinishedJobs(queue.name, { completed: completed.meta.count, failed: failed.meta.count });
      }
    } catch (error) {
      this.logger.warn({ event: 'queue-depth.unreadable', error: (error as Error).message });
    }
  }
}
