import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import {
  dataPrepQueue,
  registrationQueue,
  stepJobId,
  trainingQueue,
  type PipelineSpec,
  type Run,
} from '@slipway/contracts';
import { flowNode, QUEUE_SETTINGS, redisOptionsFromUrl, type QueueSettings } from '@slipway/queue';
import { RunService } from '@slipway/registry';
import { FlowProducer } from 'bullmq';

/**
 * Records a run and queues it as one BullMQ flow: register ← train ← prepare. Children run first; a parent
 * reads its child's result; a child that fails for good fails its parents, so a run never hangs.
 */
@Injectable()
export class PipelineSubmitter implements OnApplicationShutdown {
  private readonly flows: FlowProducer;

  constructor(
    private readonly runs: RunService,
    @Inject(QUEUE_SETTINGS) private readonly settings: QueueSettings,
  ) {
    this.flows = new FlowProducer({ connection: redisOptionsFromUrl(settings.redisUrl), prefix: settings.prefix });
  }

  async submit(pipeline: PipelineSpec, experiment: string): Promise<Run> {
    const run = await this.runs.createRun(pipeline, { experiment });
    const { prefix } = this.settings;
    const childOptions = { failParentOnFailure: true };
    await this.flows.add(
      flowNode(registrationQueue, 'register-model', { runId: run.id, modelName: pipeline.model.name, promotion: pipeline.promotion }, {
        prefix,
        jobId: stepJobId(run.id, 'register'),
        children: [
          flowNode(trainingQueue, 'train-model', { runId: run.id, modelSpec: pipeline.model.spec }, {
            prefix,
            jobId: stepJobId(run.id, 'train'),
            opts: childOptions,
            children: [
              flowNode(dataPrepQueue, 'prepare-dataset', { runId: run.id, source: pipeline.dataset }, {
                prefix,
                jobId: stepJobId(run.id, 'prepare'),
                opts: childOptions,
              }),
            ],
          }),
        ],
      }),
    );
    return run;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flows.close();
  }
}
