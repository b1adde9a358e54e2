import { randomUUID } from 'node:crypto';
import type { DriftAlert, Run, SubmitRunRequest } from '@slipway/contracts';
import { Counter, type Registry } from 'prom-client';
import type { DriftCrossing } from '../drift/drift-tracker';
import { retryWithBackoff, type RetryOptions } from './retry-with-backoff';
import { WebhookDeliveryError } from './webhook-delivery.error';

export interface DriftAlertsLogger {
  log(message: object): void;
  warn(message: object): void;
  error(message: object): void;
}

export interface DriftAlertsOptions {
  /** Submits the retraining run (the registry client's submitRun). */
  submitRun: (request: SubmitRunRequest) => Promise<Run>;
  logger: DriftAlertsLogger;
  /** Backoff of webhook deliveries and run submissions. */
  retry?: Omit<RetryOptions, 'signal' | 'onRetry'>;
  /** Per-try timeout of a webhook POST. @defaultValue 5 000 ms */
  webhookTimeoutMs?: number;
  /** Alerts kept for GET /api/alerts. @defaultValue 100 */
  keep?: number;
}

/**
 * What happens when a model version's drift crosses its threshold: an alert in the log, the retraining run
 * the model's policy names (submitted once per crossing), and the alert POSTed to the policy's webhook —
 * both retried with backoff, in the background, so the events worker never waits on a slow receiver.
 */
export class DriftAlerts {
  private readonly recent: DriftAlert[] = [];
  private readonly pending = new Set<Promise<void>>();
  private readonly shutdown = new AbortController();
  private readonly raised: Counter<'model' | 'version'>;
  private readonly deliveries: Counter<'outcome'>;
  private readonly retrains: Counter<'model' | 'outcome'>;

  constructor(
    registry: Registry,
    private readonly options: DriftAlertsOptions,
  ) {
    const registers = [registry];
    this.raised = new Counter({ name: 'slipway_drift_alerts_total', help: 'Drift threshold crossings per model version', labelNames: ['model', 'version'], registers });
    this.deliveries = new Counter({ name: 'slipway_alert_webhook_deliveries_total', help: 'Drift alert webhook deliveries, after retries', labelNames: ['outcome'], registers });
    this.retrains = new Counter({ name: 'slipway_retrain_runs_submitted_total', help: 'Retraining runs submitted on drift, after retries', labelNames: ['model', 'outcome'], registers });
  }

  /** Newest first. */
  list(): DriftAlert[] {
    return [...this.recent];
  }

  /** Starts handling the crossing; the returned promise settles when retrain and webhook are done (never rejects). */
  raise(crossing: DriftCrossing): Promise<DriftAlert> {
    const work = this.handle(crossing);
    const tracked = work.then(() => undefined);
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
    return work;
  }

  /** Stops retrying and waits for what is in flight. */
  async close(): Promise<void> {
    this.shutdown.abort();
    await Promise.all([...this.pending]);
  }

  private async handle(crossing: DriftCrossing): Promise<DriftAlert> {
    const { model, version, policy } = crossing;
    this.raised.inc({ model, version: String(version) });
    this.options.logger.warn({
      event: 'drift.alert',
      model,
      version,
      psiThreshold: policy.psiThreshold,
      features: crossing.features.map((f) => ({ feature: f.feature, psi: Number(f.psi.toFixed(4)), pValue: f.test.pValue })),
    });
    const retrainRunId = policy.retrain ? await this.submitRetrain(model, policy.retrain.pipeline) : null;
    const alert: DriftAlert = { id: randomUUID(), kind: 'feature-drift', model, version, at: crossing.at, psiThreshold: policy.psiThreshold, features: crossing.features, retrainRunId };
    this.recent.unshift(alert);
    this.recent.length = Math.min(this.recent.length, this.options.keep ?? 100);
    if (policy.webhook) await this.deliver(policy.webhook, alert);
    return alert;
  }

  private async submitRetrain(model: string, pipeline: SubmitRunRequest['pipeline']): Promise<string | null> {
    try {
      const run = await retryWithBackoff(() => this.options.submitRun({ pipeline }), this.retryOptions('drift.retrain.retry', { model }));
      this.retrains.inc({ model, outcome: 'submitted' });
      this.options.logger.log({ event: 'drift.retrain.submitted', model, runId: run.id, pipeline: pipeline.name });
      return run.id;
    } catch (error) {
      this.retrains.inc({ model, outcome: 'failed' });
      this.options.logger.error({ event: 'drift.retrain.failed', model, pipeline: pipeline.name, error: (error as Error).message });
      return null;
    }
  }

  private async deliver(url: string, alert: DriftAlert): Promise<void> {
    const timeoutMs = this.options.webhookTimeoutMs ?? 5_000;
    try {
      await retryWithBackoff(async () => {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(alert),
          signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), this.shutdown.signal]),
        });
        await response.arrayBuffer();
        if (!response.ok) throw new WebhookDeliveryError(url, response.status);
      }, this.retryOptions('drift.webhook.retry', { url, alertId: alert.id }));
      this.deliveries.inc({ outcome: 'delivered' });
      this.options.logger.log({ event: 'drift.webhook.delivered', url, alertId: alert.id });
    } catch (error) {
      this.deliveries.inc({ outcome: 'failed' });
      this.options.logger.error({ event: 'drift.webhook.failed', url, alertId: alert.id, error: (error as Error).message });
    }
  }

  private retryOptions(event: string, context: object): RetryOptions {
    return {
      ...this.options.retry,
      signal: this.shutdown.signal,
      onRetry: (error, attempt, delayMs) => this.options.logger.warn({ event, ...context, attempt, delayMs, error: (error as Error).message }),
    };
  }
}
