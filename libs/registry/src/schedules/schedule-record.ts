import { recordedPipelineSchema, type Schedule, type ScheduleTiming } from '@slipway/contracts';
import { CorruptRecordError } from '../database/corrupt-record.error';
import { readJsonColumn } from '../database/json-column';
import type { PipelineScheduleRow } from '../database/registry-database.types';

export function timingOfRow(row: PipelineScheduleRow): ScheduleTiming {
  if (row.every_ms !== null) return { every: row.every_ms };
  if (row.cron !== null) return { cron: row.cron, timezone: row.timezone };
  // The table's check constraint rules this out; a row edited around it fails here, by name.
  throw new CorruptRecordError(`pipeline_schedules "${row.name}"`, 'neither cron nor every_ms is set');
}

export function toSchedule(row: PipelineScheduleRow, nextRunAt: string | null): Schedule {
  const timing = timingOfRow(row);
  return {
    name: row.name,
    pipelineName: row.pipeline_name,
    pipeline: readJsonColumn(recordedPipelineSchema, row.pipeline_json, `pipeline_schedules "${row.name}".pipeline_json`),
    experiment: row.experiment,
    cron: 'cron' in timing ? timing.cron : null,
    timezone: 'cron' in timing ? timing.timezone : null,
    every: 'every' in timing ? timing.every : null,
    paused: row.paused === 1,
    nextRunAt: row.paused === 1 ? null : nextRunAt,
    lastRunId: row.last_run_id,
    lastRunAt: row.last_run_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    createdBy: row.created_by,
  };
}
