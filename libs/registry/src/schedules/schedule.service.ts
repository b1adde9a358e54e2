import type { ParsedCreateScheduleRequest, PipelineSpec, Schedule, ScheduledRunResult, ScheduleTiming } from '@slipway/contracts';
import { toJsonColumn } from '../database/json-column';
import type { PipelineScheduleRow, RegistryDb } from '../database/registry-database.types';
import { ScheduleAlreadyExistsError } from './schedule-already-exists.error';
import { ScheduleNotFoundError } from './schedule-not-found.error';
import { timingOfRow, toSchedule } from './schedule-record';
import { sameTiming, type InstalledTrigger, type ScheduleTriggers } from './schedule-triggers';

export interface ScheduleServiceOptions {
  /**
   * Source of every timestamp the service writes.
   * @defaultValue `() => new Date()`
   */
  clock?: () => Date;
}

/** What reconcile changed: triggers put in place (missing or of another timing) and triggers taken away. */
export interface ScheduleReconciliation {
  installed: string[];
  uninstalled: string[];
}

/** Submits a run of the pipeline in the experiment, for the token that created the schedule (null: none). */
export type SubmitScheduledRun = (pipeline: PipelineSpec, experiment: string, createdBy: string | null) => Promise<{ id: string }>;

/**
 * Recurring runs. The database holds every schedule, paused or not; only active ones have a trigger.
 * Each change is committed before the trigger is touched, so a trigger that fires at once (an interval
 * schedule) always finds its committed row. A trigger left behind by a failed call is harmless — `trigger`
 * skips paused and deleted schedules — and `reconcile` (at start-up) removes it or puts a missing one back.
 */
export class ScheduleService {
  private readonly clock: () => Date;

  constructor(
    private readonly db: RegistryDb,
    private readonly triggers: ScheduleTriggers,
    options: ScheduleServiceOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
  }

  /**
   * @param createdBy the token (principal name) creating it, whose scopes its runs act with; null without one
   * @throws ScheduleAlreadyExistsError when the name is taken.
   */
  async create(request: ParsedCreateScheduleRequest, createdBy: string | null = null): Promise<Schedule> {
    const timing = timingOfRequest(request);
    const at = this.now();
    const inserted = await this.db
      .insertInto('pipeline_schedules')
      .values({
        name: request.name,
        pipeline_name: request.pipeline.name,
        pipeline_json: toJsonColumn(request.pipeline),
        experiment: request.experiment,
        cron: 'cron' in timing ? timing.cron : null,
        timezone: 'cron' in timing ? timing.timezone : null,
        every_ms: 'every' in timing ? timing.every : null,
        last_trigger_id: null,
        last_run_id: null,
        last_run_at: null,
        created_at: at,
        updated_at: at,
        created_by: createdBy,
      })
      .onConflict((oc) => oc.column('name').doNothing())
      .executeTakeFirst();
    if (inserted.numInsertedOrUpdatedRows === 0n) throw new ScheduleAlreadyExistsError(request.name);
    try {
      await this.triggers.install(request.name, timing);
    } catch (error) {
      // Without its trigger the schedule would look created but never fire; the caller may simply retry.
      await this.db.deleteFrom('pipeline_schedules').where('name', '=', request.name).execute();
      throw error;
    }
    return this.get(request.name);
  }

  /** Every schedule, by name. */
  async list(): Promise<Schedule[]> {
    const rows = await this.db.selectFrom('pipeline_schedules').selectAll().orderBy('name').execute();
    const installed = await this.triggers.list();
    return rows.map((row) => toSchedule(row, installed.get(row.name)?.nextRunAt ?? null));
  }

  async get(name: string): Promise<Schedule> {
    const row = await this.requireRow(name);
    const trigger = row.paused === 1 ? undefined : await this.triggers.find(name);
    return toSchedule(row, trigger?.nextRunAt ?? null);
  }

  /** Keeps the definition and removes the trigger. Pausing a paused schedule changes nothing. */
  async pause(name: string): Promise<Schedule> {
    const row = await this.requireRow(name);
    if (row.paused === 0) await this.db.updateTable('pipeline_schedules').set({ paused: 1, updated_at: this.now() }).where('name', '=', name).execute();
    await this.triggers.uninstall(name);
    return this.get(name);
  }

  /** Puts the trigger back (an interval schedule fires at once). Resuming an active schedule only repairs a missing trigger. */
  async resume(name: string): Promise<Schedule> {
    const row = await this.requireRow(name);
    if (row.paused === 1) await this.db.updateTable('pipeline_schedules').set({ paused: 0, updated_at: this.now() }).where('name', '=', name).execute();
    await this.ensureInstalled(name, timingOfRow(row), await this.triggers.find(name));
    return this.get(name);
  }

  async delete(name: string): Promise<void> {
    const deleted = await this.db.deleteFrom('pipeline_schedules').where('name', '=', name).executeTakeFirst();
    if (deleted.numDeletedRows === 0n) throw new ScheduleNotFoundError(name);
    await this.triggers.uninstall(name);
  }

  /** Makes the triggers match the database: every active schedule has one of its timing, nothing else has one. */
  async reconcile(): Promise<ScheduleReconciliation> {
    const rows = await this.db.selectFrom('pipeline_schedules').selectAll().orderBy('name').execute();
    const installed = await this.triggers.list();
    const active = new Set<string>();
    const result: ScheduleReconciliation = { installed: [], uninstalled: [] };
    for (const row of rows.filter((r) => r.paused === 0)) {
      active.add(row.name);
      if (await this.ensureInstalled(row.name, timingOfRow(row), installed.get(row.name))) result.installed.push(row.name);
    }
    for (const name of [...installed.keys()].filter((n) => !active.has(n)).sort()) {
      await this.triggers.uninstall(name);
      result.uninstalled.push(name);
    }
    return result;
  }

  /**
   * Handles one firing of the trigger `triggerId` (unique per firing): submits a run of the schedule's
   * pipeline and records it as the schedule's last run. A retry of a firing that got as far as recording its
   * run submits nothing; a firing of a schedule paused or deleted since submits nothing.
   */
  async trigger(name: string, triggerId: string, submit: SubmitScheduledRun): Promise<ScheduledRunResult> {
    const row = await this.db.selectFrom('pipeline_schedules').selectAll().where('name', '=', name).executeTakeFirst();
    if (row === undefined) return { outcome: 'unknown-schedule', runId: null };
    if (row.paused === 1) return { outcome: 'paused', runId: null };
    if (row.last_trigger_id === triggerId) return { outcome: 'already-submitted', runId: row.last_run_id };
    const schedule = toSchedule(row, null);
    const run = await submit(schedule.pipeline, schedule.experiment, schedule.createdBy);
    await this.db
      .updateTable('pipeline_schedules')
      .set({ last_trigger_id: triggerId, last_run_id: run.id, last_run_at: this.now() })
      .where('name', '=', name)
      .execute();
    return { outcome: 'submitted', runId: run.id };
  }

  /** @returns whether a trigger was (re)installed. */
  private async ensureInstalled(name: string, timing: ScheduleTiming, current: InstalledTrigger | undefined): Promise<boolean> {
    if (current !== undefined && sameTiming(current.timing, timing)) return false;
    await this.triggers.install(name, timing);
    return true;
  }

  private async requireRow(name: string): Promise<PipelineScheduleRow> {
    const row = await this.db.selectFrom('pipeline_schedules').selectAll().where('name', '=', name).executeTakeFirst();
    if (row === undefined) throw new ScheduleNotFoundError(name);
    return row;
  }

  private now(): string {
    return this.clock().toISOString();
  }
}

function timingOfRequest(request: ParsedCreateScheduleRequest): ScheduleTiming {
  if (request.every !== undefined) return { every: request.every };
  if (request.cron !== undefined) return { cron: request.cron, timezone: request.timezone ?? null };
  throw new TypeError(`schedule "${request.name}" has neither cron nor every: parse the request with createScheduleRequestSchema first`);
}
