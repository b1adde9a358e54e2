import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { scheduledRunJobSchema, schedulesQueue, type ScheduleTiming } from '@slipway/contracts';
import type { InstalledTrigger, ScheduleTriggers } from '@slipway/registry';
import type { JobSchedulerJson, Queue, RepeatOptions } from 'bullmq';

/**
 * Schedule triggers as BullMQ job schedulers on the `pipeline-schedules` queue, one per schedule, with the
 * schedule's name as the scheduler id. Each firing adds a `scheduled-run` job with the id `repeat:<name>:<millis>`.
 */
@Injectable()
export class BullScheduleTriggers implements ScheduleTriggers {
  constructor(@InjectQueue(schedulesQueue.name) private readonly queue: Queue) {}

  async install(name: string, timing: ScheduleTiming): Promise<void> {
    const repeat: Omit<RepeatOptions, 'key'> = 'every' in timing ? { every: timing.every } : { pattern: timing.cron, ...(timing.timezone === null ? {} : { tz: timing.timezone }) };
    // The queue's default job options (the contract's retries and retention) apply to the jobs it adds.
    await this.queue.upsertJobScheduler(name, repeat, { name: 'scheduled-run', data: scheduledRunJobSchema.parse({ scheduleId: name }) });
  }

  async uninstall(name: string): Promise<void> {
    await this.queue.removeJobScheduler(name);
  }

  async find(name: string): Promise<InstalledTrigger | undefined> {
    const scheduler = await this.queue.getJobScheduler(name);
    return scheduler === undefined ? undefined : installedTriggerOf(scheduler);
  }

  async list(): Promise<ReadonlyMap<string, InstalledTrigger>> {
    const schedulers = await this.queue.getJobSchedulers();
    return new Map(schedulers.map((scheduler) => [scheduler.key, installedTriggerOf(scheduler)]));
  }
}

function installedTriggerOf(scheduler: JobSchedulerJson): InstalledTrigger {
  const timing: ScheduleTiming | null =
    scheduler.every !== undefined ? { every: scheduler.every } : scheduler.pattern !== undefined ? { cron: scheduler.pattern, timezone: scheduler.tz ?? null } : null;
  return { timing, nextRunAt: scheduler.next === undefined ? null : new Date(scheduler.next).toISOString() };
}
