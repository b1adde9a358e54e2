import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SERVICE_CONFIG, type ModelRegistryConfig } from '@slipway/config';
import { ScheduleService, type ScheduleReconciliation } from '@slipway/registry';

/**
 * Brings BullMQ's job schedulers in line with the schedules in the database: before the service takes requests,
 * then every SLIPWAY_SCHEDULE_RECONCILE_MS, so a Redis flush or a trigger write that failed heals while the
 * registry runs. Reconciling is idempotent, so replicas doing it at once agree.
 */
@Injectable()
export class ScheduleReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ScheduleReconciler.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly schedules: ScheduleService,
    @Inject(SERVICE_CONFIG) private readonly config: ModelRegistryConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.report(await this.schedules.reconcile(), true);
    this.timer = setInterval(() => {
      // A pass slower than the interval is not overlapped by the next.
      this.running ??= this.reconcileQuietly().finally(() => (this.running = undefined));
    }, this.config.SLIPWAY_SCHEDULE_RECONCILE_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** A failed pass (Redis or the database briefly away) is logged; the next one tries again. */
  private async reconcileQuietly(): Promise<void> {
    try {
      this.report(await this.schedules.reconcile(), false);
    } catch (error) {
      this.logger.warn({ event: 'schedules.reconcile.failed', error: (error as Error).message });
    }
  }

  private report({ installed, uninstalled }: ScheduleReconciliation, always: boolean): void {
    if (always || installed.length > 0 || uninstalled.length > 0) this.logger.log({ event: 'schedules.reconciled', installed, uninstalled });
  }
}
