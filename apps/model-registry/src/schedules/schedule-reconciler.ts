import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ScheduleService } from '@slipway/registry';

/**
 * Brings BullMQ's job schedulers in line with the schedules in the database before the service takes
 * requests, so a Redis flush or a write that reached only one side heals with a restart.
 */
@Injectable()
export class ScheduleReconciler implements OnApplicationBootstrap {
  private readonly logger = new Logger(ScheduleReconciler.name);

  constructor(private readonly schedules: ScheduleService) {}

  async onApplicationBootstrap(): Promise<void> {
    const { installed, uninstalled } = await this.schedules.reconcile();
    this.logger.log({ event: 'schedules.reconciled', installed, uninstalled });
  }
}
