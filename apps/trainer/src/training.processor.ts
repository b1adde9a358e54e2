import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { SERVICE_CONFIG, type TrainerConfig } from '@slipway/config';
import { preparedDatasetRefSchema, trainingQueue } from '@slipway/contracts';
import { isPermanentMlError, trainInWorkerThread } from '@slipway/ml';
import { METRICS_REGISTRY } from '@slipway/observability';
import { JobRouter, readChildResult } from '@slipway/queue';
import { ARTIFACT_STORE, type ArtifactStore } from '@slipway/storage';
import { DelayedError, type Job } from 'bullmq';
import type { Registry } from 'prom-client';

/**
 * Trains in a worker thread so this event loop stays free to renew the job lock; reports every epoch as job
 * progress. On shutdown the training is stopped and the job handed back to the queue without using an attempt.
 */
@Processor(trainingQueue.name, { lockDuration: trainingQueue.lockDurationMs })
export class TrainingProcessor extends WorkerHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(TrainingProcessor.name);
  private readonly shutdown = new AbortController();
  private readonly router: JobRouter<typeof trainingQueue>;

  constructor(
    @Inject(ARTIFACT_STORE) store: ArtifactStore,
    @Inject(SERVICE_CONFIG) private readonly config: TrainerConfig,
    @Inject(METRICS_REGISTRY) metrics: Registry,
  ) {
    super();
    this.router = new JobRouter(
      trainingQueue,
      {
        'train-model': async (data, job) => {
          const dataset = await readChildResult(job, preparedDatasetRefSchema, 'prepare-dataset');
          return trainInWorkerThread(
            { storeLocation: store.location, dataset, modelSpec: data.modelSpec, backendPreference: config.SLIPWAY_TF_BACKEND },
            (progress) => {
              this.logger.log({ event: 'training.epoch', runId: data.runId, jobId: job.id, ...progress });
              job.updateProgress(progress).catch((error: unknown) => this.logger.warn({ event: 'training.progress-lost', jobId: job.id, error: (error as Error).message }));
            },
            { signal: this.shutdown.signal },
          );
        },
      },
      { logger: this.logger, metrics, isPermanentError: isPermanentMlError },
    );
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.SLIPWAY_TRAINER_CONCURRENCY;
  }

  beforeApplicationShutdown(): void {
    this.shutdown.abort();
  }

  async process(job: Job, token?: string): Promise<unknown> {
    try {
      return await this.router.process(job);
    } catch (error) {
      if (!this.shutdown.signal.aborted || !token) throw error;
      // Stopped by shutdown, not by the job: hand it back for another replica, without spending an attempt.
      await job.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    }
  }
}
