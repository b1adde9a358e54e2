import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { createScheduleRequestSchema, type Schedule, type ScheduleListResponse } from '@slipway/contracts';
import { parseRequest } from '@slipway/observability';
import { ScheduleService } from '@slipway/registry';

/** Recurring runs of a pipeline: 404 for an unknown name, 409 for a name that is taken. */
@Controller('api/schedules')
export class SchedulesController {
  constructor(private readonly schedules: ScheduleService) {}

  @Post()
  @HttpCode(201)
  create(@Body() body: unknown): Promise<Schedule> {
    return this.schedules.create(parseRequest(createScheduleRequestSchema, body, 'body'));
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
  @HttpCode(200)
  pause(@Param('name') name: string): Promise<Schedule> {
    return this.schedules.pause(name);
  }

  @Post(':name/resume')
  @HttpCode(200)
  resume(@Param('name') name: string): Promise<Schedule> {
    return this.schedules.resume(name);
  }

  @Delete(':name')
  @HttpCode(204)
  async delete(@Param('name') name: string): Promise<void> {
    await this.schedules.delete(name);
  }
}
