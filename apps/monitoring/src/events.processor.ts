import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import { eventsQueue, type PredictionLogEvent } from '@slipway/contracts';
import { METRICS_REGISTRY } from '@slipway/observability';
import { DriftService, LiveAccuracy, PlatformMetrics, RunTracker } from '@slipway/platform-metrics';
import { JobRouter, workerOptions } from '@slipway/queue';
import type { Job } from 'bullmq';
import type { Registry } from 'prom-client';

/** Platform events (run and step status changes, serving's prediction batches) folded into metrics, the feedback ledger and the drift windows. */
@Processor(eventsQueue.name, workerOptions(eventsQueue, { concurrency: 4 }))
export class EventsProcessor extends WorkerHost {
  private readonly router: JobRouter<typeof eventsQueue>;

  constructor(platform: PlatformMetrics, runs: RunTracker, live: LiveAccuracy, drift: DriftService, @Inject(METRICS_REGISTRY) metrics: Registry) {
    super();
    const ingestPredictionLog = async (event: PredictionLogEvent) => {
      const accepted = platform.predictionLog(event);
      for (const group of event.groups) live.record(group);
      // Never throws, so a retried job cannot count the batch twice.
      await drift.observe(event.groups);
      return { accepted };
    };
    this.router = new JobRouter(
      eventsQueue,
      {
        'run-status-changed': async (event) => {
          platform.runStatusChanged(event);
          return { accepted: 1 };
        },
        'step-status-changed': async (event) => {
          runs.stepStatusChanged(event);
          return { accepted: 1 };
        },
        'prediction-log': ingestPredictionLog,
        'prediction-batch': ingestPredictionLog,
      },
      { logger: new Logger(EventsProcessor.name), metrics },
    );
  }

  process(job: Job): Promise<unknown> {
    return this.router.process(job);
  }
}
