import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  compareRunsQuerySchema,
  logMetricsRequestSchema,
  logParamsRequestSchema,
  metricKeySchema,
  runSearchQuerySchema,
  tagsPatchSchema,
  updateRunSystemRequestSchema,
  type Experiment,
  type MetricHistoryResponse,
  type RunComparison,
  type RunTracking,
  type Tags,
  type TrackedRunSummary,
} from '@slipway/contracts';
import { parseRequest } from '@slipway/observability';
import { TrackingService } from '@slipway/registry';
import { RequiresScope } from '@slipway/service-kit';
import { z } from 'zod';

const metricHistoryQuerySchema = z.object({ key: metricKeySchema.optional() });

/**
 * Tracking of runs beyond their pipeline state. Static segments (`search`, `compare`) win over the
 * runs controller's `:id` route in Fastify's router, so both live under /api/runs.
 */
@Controller('api')
export class TrackingController {
  constructor(private readonly tracking: TrackingService) {}

  /** `experiment=`, `status=`, `tag.<key>=<value>`, `metric.<key><op><number>`, `orderBy=`, `order=`, `limit=` */
  @Get('runs/search')
  async search(@Query() query: unknown): Promise<{ runs: TrackedRunSummary[] }> {
    return { runs: await this.tracking.searchRuns(parseRequest(runSearchQuerySchema, query, 'query')) };
  }

  @Get('runs/compare')
  compare(@Query() query: unknown): Promise<RunComparison> {
    return this.tracking.compareRuns(parseRequest(compareRunsQuerySchema, query, 'query').ids);
  }

  @Get('runs/:id/tracking')
  get(@Param('id') id: string): Promise<RunTracking> {
    return this.tracking.getTracking(id);
  }

  @Patch('runs/:id/tags')
  @RequiresScope('runs:write', 'tag runs')
  async patchTags(@Param('id') id: string, @Body() body: unknown): Promise<{ tags: Tags }> {
    return { tags: await this.tracking.patchTags(id, parseRequest(tagsPatchSchema, body, 'body')) };
  }

  /** Write-once: 409 when a key is already set to another value. */
  @Post('runs/:id/params')
  @RequiresScope('runs:write', 'log run params')
  async logParams(@Param('id') id: string, @Body() body: unknown): Promise<{ params: Record<string, string> }> {
    return { params: await this.tracking.logParams(id, parseRequest(logParamsRequestSchema, body, 'body').params) };
  }

  @Post('runs/:id/metrics')
  @RequiresScope('runs:write', 'log run metrics')
  @HttpCode(204)
  async logMetrics(@Param('id') id: string, @Body() body: unknown): Promise<void> {
    await this.tracking.logMetrics(id, parseRequest(logMetricsRequestSchema, body, 'body'));
  }

  @Get('runs/:id/metrics')
  async metricHistory(@Param('id') id: string, @Query() query: unknown): Promise<MetricHistoryResponse> {
    const { key } = parseRequest(metricHistoryQuerySchema, query, 'query');
    return { metrics: await this.tracking.metricHistory(id, key) };
  }

  @Patch('runs/:id/system')
  @RequiresScope('runs:write', 'record run system info')
  updateSystem(@Param('id') id: string, @Body() body: unknown): Promise<RunTracking> {
    return this.tracking.updateSystemInfo(id, parseRequest(updateRunSystemRequestSchema, body, 'body'));
  }

  @Get('experiments')
  async experiments(): Promise<{ experiments: Experiment[] }> {
    return { experiments: await this.tracking.listExperiments() };
  }
}
