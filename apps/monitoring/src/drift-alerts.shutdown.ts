import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { DriftAlerts } from '@slipway/platform-metrics';

/** On shutdown, stops retrying alert deliveries and waits for those in flight, so no retraining run is half-submitted. */
@Injectable()
export class DriftAlertsShutdown implements OnApplicationShutdown {
  constructor(private readonly alerts: DriftAlerts) {}

  onApplicationShutdown(): Promise<void> {
    return this.alerts.close();
  }
}
