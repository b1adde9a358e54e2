import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { createScheduleRequestSchema, type Principal, type Schedule, type ScheduleListResponse } from '@slipway/contracts';
import { parseRequest } from '@slipway/observability';
import { RunAuthority, ScheduleService } from '@slipway/registry';
import { RequestPrincipal, RequiresScope } from '@slipway/service-kit';

/** Recurring runs of a pipeline: 404 for an unknown name, 409 for a name that is taken. */
@Controller('api/schedules')
export class SchedulesController {
  constructor(
    private readonly schedules: ScheduleService,
    private readonly authority: RunAuthority,
  ) {}

  /** The schedule's runs act with the creating token's scopes: a promote to a protected alias needs its promote scope now. */
  @Post()
  @RequiresScope('schedules:write', 'create schedules')
  @HttpCode(201)
  create(@Body() body: unknown, @RequestPrincipal() creator: Principal | undefined): Promise<Schedule> {
    const request = parseRequest(createScheduleRequestSchema, body, 'body');
    this.authority.assertMayPromote(request.pipeline, creator, `creating schedule "${request.name}"`);
    return this.schedules.create(request, creator?.name ?? null);
  }

  @Get()
  async list(): Promise<ScheduleListResponse> {
    return { schedules: await this.schedules.list() };
  }

  @Get(':name')
  get(@Param('name') name: string): Promise<Schedule> {
    return this.schedules.get(name);
  }

  @Post(':name/pause')
  @RequiresScope('schedules:write', 'pause schedules')
  @HttpCode(200)
  pause(@Param('name') name: string): Promise<Schedule> {
    return this.schedules.pause(name);
  }

  @Post(':name/resume')
  @RequiresScope('schedules:write', 'resume schedules')
  @HttpCode(200)
  resume(@Param('name') name: string): Promise<Schedule> {
    return this.schedules.resume(name);
  }

  @Delete(':name')
  @RequiresScope('schedules:write', 'delete schedules')
  @HttpCode(204)
  async delete(@Param('name') name: string): Promise<void> {
    await this.schedules.delete(name);
  }
}
