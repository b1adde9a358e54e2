import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import { SERVICE_CONFIG, type ModelRegistryConfig } from '@slipway/config';
import { grantsScope, schedulesQueue, type Principal } from '@slipway/contracts';
import { METRICS_REGISTRY } from '@slipway/observability';
import { InvalidJobError, JobRouter, workerOptions } from '@slipway/queue';
import { ApiTokenService, PipelineEngine, ScheduleService } from '@slipway/registry';
import { AuthenticationRequiredError, MissingScopeError } from '@slipway/service-kit';
import type { Job } from 'bullmq';
import type { Registry } from 'prom-client';

/**
 * One firing of a schedule's trigger: submit a run of its pipeline, once per firing (the job id), with the scopes the
 * schedule's creator holds now — a revoked creator's schedule submits nothing, and says why.
 */
@Processor(schedulesQueue.name, workerOptions(schedulesQueue))
export class ScheduledRunProcessor extends WorkerHost {
  private readonly router: JobRouter<typeof schedulesQueue>;

  constructor(
    schedules: ScheduleService,
    engine: PipelineEngine,
    private readonly tokens: ApiTokenService,
    @Inject(SERVICE_CONFIG) private readonly config: ModelRegistryConfig,
    @Inject(METRICS_REGISTRY) metrics: Registry,
  ) {
    super();
    this.router = new JobRouter(
      schedulesQueue,
      {
        'scheduled-run': async ({ scheduleId }, job) => {
          if (job.id === undefined) throw new InvalidJobError(`${schedulesQueue.name}/scheduled-run of "${scheduleId}" has no job id to submit once by`);
          return schedules.trigger(scheduleId, job.id, async (pipeline, experiment, createdBy) =>
            engine.submit(pipeline, { experiment, submitter: await this.creatorOf(scheduleId, createdBy) }),
          );
        },
      },
      {
        logger: new Logger(ScheduledRunProcessor.name),
        metrics,
        isPermanentError: (error) => error instanceof AuthenticationRequiredError || error instanceof MissingScopeError,
      },
    );
  }

  process(job: Job): Promise<unknown> {
    return this.router.process(job);
  }

  private async creatorOf(schedule: string, createdBy: string | null): Promise<Principal | undefined> {
    const creator = createdBy === null ? undefined : await this.tokens.principalNamed(createdBy);
    if (createdBy !== null && creator === undefined) {
      throw new AuthenticationRequiredError(`schedule "${schedule}" was created by token "${createdBy}", which has since been revoked or expired; it submits no runs until created again`);
    }
    if (this.config.SLIPWAY_AUTH_WRITES) {
      if (creator === undefined) throw new AuthenticationRequiredError(`schedule "${schedule}" was created without a token, and submitting runs now needs one (SLIPWAY_AUTH_WRITES)`);
      if (!grantsScope(creator.scopes, 'runs:write')) throw new MissingScopeError(creator.name, 'runs:write', `submit the runs of schedule "${schedule}"`);
    }
    return creator;
  }
}
