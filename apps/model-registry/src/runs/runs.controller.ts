import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { listRunsQuerySchema, submitRunRequestSchema, type CacheExplanation, type Run, type RunSummary, type RunTrainingCurves } from '@slipway/contracts';
import { parseRequest } from '@slipway/observability';
import { CacheExplainer, PipelineEngine, RunService } from '@slipway/registry';

@Controller('api/runs')
export class RunsController {
  constructor(
    private readonly engine: PipelineEngine,
    private readonly runs: RunService,
    private readonly explainer: CacheExplainer,
  ) {}

  @Post()
  @HttpCode(201)
  submit(@Body() body: unknown): Promise<Run> {
    const { pipeline, experiment, noCache } = parseRequest(submitRunRequestSchema, body, 'body');
    return this.engine.submit(pipeline, { experiment, noCache });
  }

  @Get()
  async list(@Query() query: unknown): Promise<{ runs: RunSummary[] }> {
    return { runs: await this.runs.listRuns(parseRequest(listRunsQuerySchema, query, 'query')) };
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<Run> {
    return this.runs.getRun(id);
  }

  /** Loss and accuracy by epoch of every training of the run, each training of a grid apart. */
  @Get(':id/curves')
  curves(@Param('id') id: string): Promise<RunTrainingCurves> {
    return this.runs.getTrainingCurves(id);
  }

  /** Queues a failed run's failed steps again; what succeeded is reused. 409 unless the run failed. */
  @Post(':id/resume')
  @HttpCode(200)
  resume(@Param('id') id: string): Promise<Run> {
    return this.engine.resume(id);
  }

  @Get(':id/steps/:step/cache')
  explainCache(@Param('id') id: string, @Param('step') step: string): Promise<CacheExplanation> {
    return this.explainer.explain(id, step);
  }
}
