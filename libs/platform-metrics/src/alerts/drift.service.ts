import type { PredictionLogGroup } from '@slipway/contracts';
import type { DriftAlerts, DriftAlertsLogger } from './drift-alerts';
import type { DriftTracker } from '../drift/drift-tracker';
import type { DriftReferences } from '../drift/drift-references';

/**
 * Feeds sampled prediction rows into the drift windows, judges each touched model version against its reference
 * (training statistics, or an import's reference rows), and raises an alert on each crossing. Never throws: a version
 * whose reference cannot be read, or that has none, is reported as unavailable and tried again with its next batch.
 */
export class DriftService {
  constructor(
    private readonly tracker: DriftTracker,
    private readonly alerts: Pick<DriftAlerts, 'raise'>,
    private readonly references: Pick<DriftReferences, 'referenceOf'>,
    private readonly logger: Pick<DriftAlertsLogger, 'warn'>,
  ) {}

  async observe(groups: readonly PredictionLogGroup[]): Promise<void> {
    const touched = new Map<string, { model: string; version: number }>();
    for (const group of groups) {
      if (this.tracker.observe(group)) touched.set(`${group.model}@${group.version}`, { model: group.model, version: group.version });
    }
    for (const { model, version } of touched.values()) {
      if (!this.tracker.hasReference(model, version)) {
        try {
          this.tracker.setReference(model, version, await this.references.referenceOf(model, version));
        } catch (error) {
          const reason = `drift reference of ${model}@${version} unavailable: ${(error as Error).message}`;
          this.tracker.markUnavailable(model, version, reason);
          this.logger.warn({ event: 'drift.reference.unavailable', model, version, error: (error as Error).message });
          continue;
        }
      }
      const crossing = this.tracker.evaluate(model, version);
      if (crossing) void this.alerts.raise(crossing);
    }
  }
}
