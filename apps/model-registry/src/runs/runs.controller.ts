import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  IDEMPOTENCY_KEY_HEADER,
  idempotencyKeySchema,
  listRunsQuerySchema,
  submitRunRequestSchema,
  type CacheExplanation,
  type Principal,
  type Run,
  type RunSummary,
  type RunTrainingCurves,
} from '@slipway/contracts';
import { parseRequest } from '@slipway/observability';
import { CacheExplainer, PipelineEngine, RunService } from '@slipway/registry';
import { RequestPrincipal, RequiresScope } from '@slipway/service-kit';

@Controller('api/runs')
export class RunsController {
  constructor(
    private readonly engine: PipelineEngine,
    private readonly runs: RunService,
    private readonly explainer: CacheExplainer,
  ) {}

  /** A retry carrying the same Idempotency-Key answers the run the first attempt recorded. */
  @Post()
  @RequiresScope('runs:write', 'submit runs')
  @HttpCode(201)
  submit(@Body() body: unknown, @Headers(IDEMPOTENCY_KEY_HEADER) key: string | undefined, @RequestPrincipal() submitter: Principal | undefined): Promise<Run> {
    const { pipeline, experiment, noCache } = parseRequest(submitRunRequestSchema, body, 'body');
    const idempotencyKey = parseRequest(idempotencyKeySchema, key, 'Idempotency-Key');
    return this.engine.submit(pipeline, { experiment, noCache, submitter, idempotencyKey });
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
  @RequiresScope('runs:write', 'resume runs')
  @HttpCode(200)
  resume(@Param('id') id: string): Promise<Run> {
    return this.engine.resume(id);
  }

  @Get(':id/steps/:step/cache')
  explainCache(@Param('id') id: string, @Param('step') step: string): Promise<CacheExplanation> {
    return this.explainer.explain(id, step);
  }
}
