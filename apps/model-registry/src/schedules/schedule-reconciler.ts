import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SERVICE_CONFIG, type ModelRegistryConfig } from '@slipway/config';
import { ScheduleService, type ScheduleReconciliation } from '@slipway/registry';

/**
 * Brings BullMQ's job schedulers in line with the schedules in the database: at start (once Redis answers),
 * then every SLIPWAY_SCHEDULE_RECONCILE_MS, so a Redis flush or a trigger write that failed heals while the
 * registry runs. Reconciling is idempotent, so replicas doing it at once agree.
 */
/** How long shutdown waits for a reconcile pass under way. */
const SHUTDOWN_WAIT_MS = 2_000;

@Injectable()
export class ScheduleReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ScheduleReconciler.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly schedules: ScheduleService,
    @Inject(SERVICE_CONFIG) private readonly config: ModelRegistryConfig,
  ) {}

  /** The first pass runs in the background: with Redis away it waits for Redis, and the registry must answer meanwhile. */
  onApplicationBootstrap(): void {
    const pass = (first: boolean) => {
      // A pass slower than the interval is not overlapped by the next.
      this.running ??= this.reconcileQuietly(first).finally(() => (this.running = undefined));
    };
    pass(true);
    this.timer = setInterval(() => pass(false), this.config.SLIPWAY_SCHEDULE_RECONCILE_MS);
    this.timer.unref();
  }

  /** A pass still waiting for an absent Redis does not hold the shutdown: the queues closing ends it. */
  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.running, new Promise((resolve) => (timer = setTimeout(resolve, SHUTDOWN_WAIT_MS)))]);
    clearTimeout(timer);
  }

  /** A failed pass (Redis or the database briefly away) is logged; the next one tries again. */
  private async reconcileQuietly(always: boolean): Promise<void> {
    try {
      this.report(await this.schedules.reconcile(), always);
    } catch (error) {
      this.logger.warn({ event: 'schedules.reconcile.failed', error: (error as Error).message });
    }
  }

  private report({ installed, uninstalled }: ScheduleReconciliation, always: boolean): void {
    if (always || installed.length > 0 || uninstalled.length > 0) this.logger.log({ event: 'schedules.reconciled', installed, uninstalled });
  }
}
