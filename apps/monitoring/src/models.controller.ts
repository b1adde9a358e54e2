import { Controller, Get, Param, Query } from '@nestjs/common';
import { listRunsQuerySchema, type DriftAlert, type ModelAccuracyResponse, type ModelDriftResponse, type RegisteredModel, type Run, type RunSummary, type RunTrainingCurves } from '@slipway/contracts';
import { parseRequest } from '@slipway/observability';
import { DriftAlerts, DriftTracker, LiveAccuracy } from '@slipway/platform-metrics';
import { RegistryClient } from '@slipway/registry-client';
import { relayRegistry } from './registry-relay.error';

/** Every dashboard figure as JSON: drift and live accuracy from monitoring, runs and models from the registry. */
@Controller('api')
export class ModelsController {
  constructor(
    private readonly drift: DriftTracker,
    private readonly live: LiveAccuracy,
    private readonly alerts: DriftAlerts,
    private readonly registry: RegistryClient,
  ) {}

  @Get('models/:model/drift')
  modelDrift(@Param('model') model: string): ModelDriftResponse {
    return this.drift.report(model);
  }

  @Get('models/:model/accuracy')
  modelAccuracy(@Param('model') model: string): ModelAccuracyResponse {
    return this.live.report(model);
  }

  @Get('alerts')
  listAlerts(): { alerts: DriftAlert[] } {
    return { alerts: this.alerts.list() };
  }

  @Get('models')
  async models(): Promise<{ models: RegisteredModel[] }> {
    return { models: await relayRegistry(this.registry.listModels()) };
  }

  @Get('runs')
  async runs(@Query() query: unknown): Promise<{ runs: RunSummary[] }> {
    return { runs: await relayRegistry(this.registry.listRuns(parseRequest(listRunsQuerySchema, query, 'query'))) };
  }

  /** A run with its steps and per-epoch training curve. */
  @Get('runs/:id')
  run(@Param('id') id: string): Promise<Run> {
    return relayRegistry(this.registry.getRun(id));
  }

  /** The curve of every training of the run, for the dashboard's comparison of a grid. */
  @Get('runs/:id/curves')
  curves(@Param('id') id: string): Promise<RunTrainingCurves> {
    return relayRegistry(this.registry.getTrainingCurves(id));
  }
}
