import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import { registrationQueue } from '@slipway/contracts';
import { METRICS_REGISTRY } from '@slipway/observability';
import { JobRouter, workerOptions } from '@slipway/queue';
import { MissingMetricError, RegistryNotFoundError, RegistrySteps, RunService, UnknownStepError } from '@slipway/registry';
import { AuthenticationRequiredError, MissingScopeError } from '@slipway/service-kit';
import type { Job } from 'bullmq';
import type { Registry } from 'prom-client';

/** The steps the registry runs itself: evaluate (pick the best model), register a version, promote it to an alias. */
@Processor(registrationQueue.name, workerOptions(registrationQueue))
export class RegistrationProcessor extends WorkerHost {
  private readonly router: JobRouter<typeof registrationQueue>;

  constructor(runs: RunService, steps: RegistrySteps, @Inject(METRICS_REGISTRY) metrics: Registry) {
    super();
    // These jobs run here, so they record their own start; their outcome reaches the run through the pipeline queue.
    const started = (data: { runId: string; step: string }, job: Job) => runs.markStepStarted(data.runId, data.step, job.attemptsStarted);
    this.router = new JobRouter(
      registrationQueue,
      {
        'evaluate-models': async (data, job) => {
          await started(data, job);
          return steps.evaluate(data);
        },
        'register-model': async (data, job) => {
          await started(data, job);
          return steps.register(data);
        },
        'promote-version': async (data, job) => {
          await started(data, job);
          return steps.promote(data);
        },
      },
      {
        logger: new Logger(RegistrationProcessor.name),
        metrics,
        // A missing metric, an unknown run or a submitter without the right to promote stays so however often the job is retried.
        isPermanentError: (error) =>
          error instanceof RegistryNotFoundError ||
          error instanceof UnknownStepError ||
          error instanceof MissingMetricError ||
          error instanceof AuthenticationRequiredError ||
          error instanceof MissingScopeError,
      },
    );
  }

  process(job: Job): Promise<unknown> {
    return this.router.process(job);
  }
}
