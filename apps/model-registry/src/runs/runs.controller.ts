import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { runStatusSchema, submitRunRequestSchema, type Run, type RunSummary } from '@slipway/contracts';
import { parseRequest } from '@slipway/observability';
import { RunService } from '@slipway/registry';
import { z } from 'zod';
import { PipelineSubmitter } from './pipeline-submitter';

const listRunsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1_000).default(50),
  status: runStatusSchema.optional(),
});

@Controller('api/runs')
export class RunsController {
  constructor(
    private readonly submitter: PipelineSubmitter,
    private readonly runs: RunService,
  ) {}

  @Post()
  @HttpCode(201)
  submit(@Body() body: unknown): Promise<Run> {
    const { pipeline, experiment } = parseRequest(submitRunRequestSchema, body, 'body');
    return this.submitter.submit(pipeline, experiment);
  }

  @Get()
  async list(@Query() query: unknown): Promise<{ runs: RunSummary[] }> {
    return { runs: await this.runs.listRuns(parseRequest(listRunsQuerySchema, query, 'query')) };
  }

  @Get(':id')
  get(@Param('id') id: string): Promise<Run> {
    return this.runs.getRun(id);
  }
}
