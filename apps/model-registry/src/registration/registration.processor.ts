import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import { registrationQueue, trainedModelSchema } from '@slipway/contracts';
import { METRICS_REGISTRY } from '@slipway/observability';
import { JobRouter, readChildResult } from '@slipway/queue';
import { ModelRegistryService, RegistryNotFoundError, RunService } from '@slipway/registry';
import type { Job } from 'bullmq';
import type { Registry } from 'prom-client';

/** The last step of a run: register the trained model as a new version and promote it when it passes. */
@Processor(registrationQueue.name, { lockDuration: registrationQueue.lockDurationMs })
export class RegistrationProcessor extends WorkerHost {
  private readonly router: JobRouter<typeof registrationQueue>;

  constructor(runs: RunService, registry: ModelRegistryService, @Inject(METRICS_REGISTRY) metrics: Registry) {
    super();
    this.router = new JobRouter(
      registrationQueue,
      {
        'register-model': async (data, job) => {
          await runs.markStepStarted(data.runId, 'register', job.attemptsStarted);
          const trained = await readChildResult(job, trainedModelSchema, 'train-model');
          await runs.recordTrainedModel(data.runId, trained);
          const result = await registry.registerFromRun({ job: data, trained });
          await runs.markStepSucceeded(data.runId, 'register');
          await runs.completeRun(data.runId, result);
          return result;
        },
      },
      { logger: new Logger(RegistrationProcessor.name), metrics, isPermanentError: (error) => error instanceof RegistryNotFoundError },
    );
  }

  process(job: Job): Promise<unknown> {
    return this.router.process(job);
  }
}
