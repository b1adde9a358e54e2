import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import { schedulesQueue } from '@slipway/contracts';
import { METRICS_REGISTRY } from '@slipway/observability';
import { InvalidJobError, JobRouter, workerOptions } from '@slipway/queue';
import { PipelineEngine, ScheduleService } from '@slipway/registry';
import type { Job } from 'bullmq';
import type { Registry } from 'prom-client';

/** One firing of a schedule's trigger: submit a run of its pipeline, once per firing (the job id). */
@Processor(schedulesQueue.name, workerOptions(schedulesQueue))
export class ScheduledRunProcessor extends WorkerHost {
  private readonly router: JobRouter<typeof schedulesQueue>;

  constructor(schedules: ScheduleService, engine: PipelineEngine, @Inject(METRICS_REGISTRY) metrics: Registry) {
    super();
    this.router = new JobRouter(
      schedulesQueue,
      {
        'scheduled-run': async ({ scheduleId }, job) => {
          if (job.id === undefined) throw new InvalidJobError(`${schedulesQueue.name}/scheduled-run of "${scheduleId}" has no job id to submit once by`);
          return schedules.trigger(scheduleId, job.id, (pipeline, experiment) => engine.submit(pipeline, { experiment }));
        },
      },
      { logger: new Logger(ScheduledRunProcessor.name), metrics },
    );
  }

  process(job: Job): Promise<unknown> {
    return this.router.process(job);
  }
}
