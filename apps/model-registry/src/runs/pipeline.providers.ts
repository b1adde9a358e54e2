import type { Provider } from '@nestjs/common';
import { SERVICE_CONFIG, type ModelRegistryConfig } from '@slipway/config';
import { CacheExplainer, ModelRegistryService, PipelineEngine, RegistrySteps, RunService, type RegistryDb } from '@slipway/registry';
import { REGISTRY_DB } from '../database/registry-database.module';
import { BullmqStepDispatcher } from './bullmq-step-dispatcher';
import { PipelineProcessor } from './pipeline.processor';
import { StepTracker } from './step-tracker';

/** The pipeline engine with its BullMQ dispatcher, the worker that feeds it outcomes, and the live step tracker. */
export const pipelineProviders: Provider[] = [
  BullmqStepDispatcher,
  {
    provide: PipelineEngine,
    inject: [REGISTRY_DB, RunService, BullmqStepDispatcher, SERVICE_CONFIG],
    useFactory: (db: RegistryDb, runs: RunService, dispatcher: BullmqStepDispatcher, config: ModelRegistryConfig) =>
      new PipelineEngine(db, runs, dispatcher, { quotas: config.SLIPWAY_TEAM_QUOTAS }),
  },
  { provide: CacheExplainer, inject: [REGISTRY_DB, RunService], useFactory: (db: RegistryDb, runs: RunService) => new CacheExplainer(db, runs) },
  { provide: RegistrySteps, inject: [RunService, ModelRegistryService], useFactory: (runs: RunService, registry: ModelRegistryService) => new RegistrySteps(runs, registry) },
  PipelineProcessor,
  StepTracker,
];
