import type { Provider } from '@nestjs/common';
import { SERVICE_CONFIG, type ModelRegistryConfig } from '@slipway/config';
import { CacheExplainer, ModelRegistryService, PipelineEngine, RegistrySteps, RunAuthority, RunService, SqlStepCache } from '@slipway/registry';
import { BullmqStepDispatcher } from './bullmq-step-dispatcher';
import { PipelineProcessor } from './pipeline.processor';
import { StepTracker } from './step-tracker';

/** The pipeline engine with its BullMQ dispatcher, the worker that feeds it outcomes, and the live step tracker. */
export const pipelineProviders: Provider[] = [
  BullmqStepDispatcher,
  {
    provide: RegistrySteps,
    inject: [RunService, ModelRegistryService, RunAuthority],
    useFactory: (runs: RunService, registry: ModelRegistryService, authority: RunAuthority) => new RegistrySteps(runs, registry, authority),
  },
  {
    provide: PipelineEngine,
    inject: [RunService, SqlStepCache, RegistrySteps, BullmqStepDispatcher, RunAuthority, SERVICE_CONFIG],
    useFactory: (runs: RunService, cache: SqlStepCache, registrations: RegistrySteps, dispatcher: BullmqStepDispatcher, authority: RunAuthority, config: ModelRegistryConfig) =>
      new PipelineEngine({ runs, cache, registrations, dispatcher, authority }, { quotas: config.SLIPWAY_TEAM_QUOTAS }),
  },
  { provide: CacheExplainer, inject: [RunService, SqlStepCache], useFactory: (runs: RunService, cache: SqlStepCache) => new CacheExplainer(runs, cache) },
  PipelineProcessor,
  StepTracker,
];
