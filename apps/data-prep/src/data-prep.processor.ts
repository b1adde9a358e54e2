import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SERVICE_CONFIG, type DataPrepConfig } from '@slipway/config';
import { dataPrepQueue } from '@slipway/contracts';
import { isPermanentMlError, prepareDataset } from '@slipway/ml';
import { METRICS_REGISTRY } from '@slipway/observability';
import { JobRouter, workerOptions } from '@slipway/queue';
import { ARTIFACT_STORE, type ArtifactStore } from '@slipway/storage';
import type { Job } from 'bullmq';
import type { Registry } from 'prom-client';

/** Reads a raw data set (data root, allowed http(s) hosts, artifact store), splits it, fits the transform, and stores both content-addressed. */
@Processor(dataPrepQueue.name, workerOptions(dataPrepQueue))
export class DataPrepProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly router: JobRouter<typeof dataPrepQueue>;

  constructor(
    @Inject(ARTIFACT_STORE) store: ArtifactStore,
    @Inject(SERVICE_CONFIG) private readonly config: DataPrepConfig,
    @Inject(METRICS_REGISTRY) metrics: Registry,
  ) {
    super();
    const access = { dataRoot: config.SLIPWAY_DATA_ROOT, httpHosts: config.SLIPWAY_DATA_HTTP_HOSTS, maxBytes: config.SLIPWAY_DATA_MAX_BYTES, httpTimeoutMs: config.SLIPWAY_DATA_HTTP_TIMEOUT_MS };
    this.router = new JobRouter(
      dataPrepQueue,
      { 'prepare-dataset': (data) => prepareDataset({ store, source: data.source, reusable: data.reusable, ...access }) },
      { logger: new Logger(DataPrepProcessor.name), metrics, isPermanentError: isPermanentMlError },
    );
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.SLIPWAY_DATA_PREP_CONCURRENCY;
  }

  process(job: Job): Promise<unknown> {
    return this.router.process(job);
  }
}
