import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type Type } from '@nestjs/common';
import { SERVICE_CONFIG, type TrainerConfig } from '@slipway/config';
import { isForestSpec, trainingCheckpointSchema, trainingProgressSchema, trainingQueue, type ArtifactRef, type TrainModelJob } from '@slipway/contracts';
import { isPermanentMlError, stopsEarly, trainInWorkerThread } from '@slipway/ml';
import { METRICS_REGISTRY } from '@slipway/observability';
import { JobRouter, workerOptions } from '@slipway/queue';
import { ARTIFACT_STORE, type ArtifactStore } from '@slipway/storage';
import { DelayedError, type Job } from 'bullmq';
import type { Registry } from 'prom-client';

/**
 * Trains in a worker thread so this event loop stays free to renew the job lock; reports every epoch as job
 * progress, with the latest checkpoint. A job that ran before (its trainer was killed, or handed it back on
 * shutdown) keeps that progress in Redis and resumes from its checkpoint. On shutdown the training is stopped
 * and the job handed back to the queue without using an attempt.
 * Registered through {@link trainingProcessorWith}, which adds the worker options from config.
 */
@Injectable()
export class TrainingProcessor extends WorkerHost implements BeforeApplicationShutdown {
  private readonly logger = new Logger(TrainingProcessor.name);
  private readonly shutdown = new AbortController();
  private readonly router: JobRouter<typeof trainingQueue>;

  constructor(
    @Inject(ARTIFACT_STORE) private readonly store: ArtifactStore,
    @Inject(SERVICE_CONFIG) config: TrainerConfig,
    @Inject(METRICS_REGISTRY) metrics: Registry,
  ) {
    super();
    this.router = new JobRouter(
      trainingQueue,
      {
        'train-model': async (data, job) => {
          const resumeFrom = await this.checkpointToResume(job, data);
          return trainInWorkerThread(
            {
              storeLocation: store.location,
              dataset: data.dataset,
              modelSpec: data.modelSpec,
              backendPreference: config.SLIPWAY_TF_BACKEND,
              checkpointEvery: config.SLIPWAY_TRAINER_CHECKPOINT_EVERY,
              resumeFrom,
            },
            (progress) => {
              const { checkpoint, ...metrics } = progress;
              this.logger.log({ event: 'training.epoch', runId: data.runId, jobId: job.id, ...metrics, checkpoint: checkpoint?.digest });
              job.updateProgress(progress).catch((error: unknown) => this.logger.warn({ event: 'training.progress-lost', jobId: job.id, error: (error as Error).message }));
            },
            { signal: this.shutdown.signal },
          );
        },
      },
      { logger: this.logger, metrics, isPermanentError: isPermanentMlError },
    );
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

  /** The checkpoint in the progress an earlier attempt of this job left behind, if any. */
  private async checkpointToResume(job: Job, { runId, modelSpec }: TrainModelJob): Promise<ArtifactRef | undefined> {
    const progress = trainingProgressSchema.safeParse(job.progress);
    const checkpoint = progress.success ? progress.data.checkpoint : undefined;
    if (!checkpoint) return undefined;
    const { epoch, epochs, earlyStopping } = await this.store.getJson(checkpoint.digest, trainingCheckpointSchema);
    // A checkpoint taken where early stopping ended the training has nothing left to train: only the model to save.
    const stopped = !isForestSpec(modelSpec) && modelSpec.earlyStopping !== undefined && stopsEarly(modelSpec.earlyStopping, earlyStopping);
    this.logger.log({ event: 'training.resumed', runId, jobId: job.id, checkpoint: checkpoint.digest, fromEpoch: stopped ? null : epoch + 1, stoppedEarlyAt: stopped ? epoch : null, epochs });
    return checkpoint;
  }
}

/**
 * The processor with its BullMQ worker options from config. @nestjs/bullmq creates the worker from the
 * @Processor decorator's options, and BullMQ copies lockDuration into its lock manager when the worker is
 * constructed, so these cannot be set on `this.worker` afterwards: the decorator is applied here instead.
 */
export function trainingProcessorWith(config: TrainerConfig): Type<TrainingProcessor> {
  @Processor(
    trainingQueue.name,
    workerOptions(trainingQueue, {
      concurrency: config.SLIPWAY_TRAINER_CONCURRENCY,
      lockDuration: config.SLIPWAY_TRAINER_LOCK_MS,
      stalledInterval: config.SLIPWAY_TRAINER_STALLED_INTERVAL_MS,
    }),
  )
  class ConfiguredTrainingProcessor extends TrainingProcessor {}
  return ConfiguredTrainingProcessor;
}
