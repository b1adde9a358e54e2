import {
  conditionHolds,
  describeZodError,
  FINISHED_STEP_STATUSES,
  modelSpecSchema,
  noCacheSchema,
  recordedPipelineSchema,
  stepInputs,
  type NoCache,
  type PipelineSpec,
  type PipelineStep,
  type PreparedDatasetRef,
  type Run,
  evaluationResultSchema,
  registrationResultSchema,
  type StepRetry,
  type TeamQuotas,
} from '@slipway/contracts';
import { z } from 'zod';
import { ADVISORY_LOCKS, withAdvisoryLock } from '../database/advisory-lock';
import { readJsonColumn } from '../database/json-column';
import type { RegistryDb, RunRow, RunStepRow } from '../database/registry-database.types';
import type { RunService } from '../runs/run.service';
import { cacheKey, cacheKeyComponents, type CacheKeyComponents } from './cache-key';
import { PipelineSubmissionError, StepQueueUnavailableError, UnknownStepError } from './pipeline-errors';
import { CACHEABLE_KINDS } from './step-code-versions';
import { StepCache } from './step-cache';
import { outputDigest, outputMetrics, outputOf, STEP_OUTPUT_SCHEMAS, trainedModelOf, type AnyStepOutput } from './step-outputs';
import { StepQuotas } from './step-quotas';

/** One step's job, for the dispatcher to queue on the queue its kind runs on. */
export type StepDispatch = { runId: string; step: string; generation: number; retry: StepRetry | undefined } & (
  | { queue: 'data-prep'; job: 'prepare-dataset'; data: unknown }
  | { queue: 'training'; job: 'train-model'; data: unknown }
  | { queue: 'registration'; job: 'evaluate-models' | 'register-model' | 'promote-version'; data: unknown }
);

/** Queues a step's job so that its outcome comes back through {@link PipelineEngine.recordOutcome}. */
export interface StepDispatcher {
  dispatch(step: StepDispatch): Promise<void>;
}

/** The job's own record of its last attempt. */
export interface JobTimings {
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
}

export type StepOutcome = ({ ok: true; result: unknown } | { ok: false; error: string }) & { job: JobTimings };

export interface PipelineEngineOptions {
  /** @defaultValue no limits */
  quotas?: TeamQuotas;
  /** @defaultValue `() => new Date()` */
  clock?: () => Date;
}

export interface SubmitOptions {
  experiment?: string;
  noCache?: NoCache;
  id?: string;
}

const trainParamsSchema = z.object({ model: modelSpecSchema, gpus: z.number().int() });

/**
 * Runs pipelines as DAGs: decides which steps are ready, skips those whose condition fails, reuses cached
 * outputs, holds trainings back at their grid's parallelism and their team's quotas, and queues the rest.
 * Every decision is re-derived from the database, so a repeated or late call changes nothing. Decisions take
 * turns, within the process and, on PostgreSQL, across registry replicas (an advisory lock): two outcomes arriving
 * together can neither both take the last quota slot nor each miss the other and leave a join step unqueued.
 */
export class PipelineEngine {
  private readonly cache: StepCache;
  private readonly quotas: StepQuotas;
  private serial: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: RegistryDb,
    private readonly runs: RunService,
    private readonly dispatcher: StepDispatcher,
    options: PipelineEngineOptions = {},
  ) {
    this.cache = new StepCache(db, options.clock);
    this.quotas = new StepQuotas(db, options.quotas ?? {});
  }

  /**
   * Records a run and queues the steps that can start.
   * @throws PipelineSubmissionError when a training asks for more GPUs than its team may ever have, or noCache
   *   names a step the pipeline lacks (nothing is recorded or queued then).
   */
  async submit(pipeline: PipelineSpec, options: SubmitOptions = {}): Promise<Run> {
    const noCache = noCacheSchema.parse(options.noCache);
    if (Array.isArray(noCache)) {
      const unknown = noCache.findIndex((name) => !pipeline.steps.some((step) => step.name === name));
      if (unknown >= 0) throw new PipelineSubmissionError(`noCache.${unknown}`, `pipeline "${pipeline.name}" has no step "${noCache[unknown]}"`);
    }
    pipeline.steps.forEach((step, i) => this.quotas.assertSatisfiable(pipeline.team, step, i));
    const run = await this.runs.createRun(pipeline, { experiment: options.experiment, noCache, id: options.id });
    await this.advanceOrFail(run.id);
    return this.runs.getRun(run.id);
  }

  /** Reopens a failed run and queues its failed steps again; everything that succeeded is reused. */
  async resume(runId: string): Promise<Run> {
    await this.runs.reopenFailedRun(runId);
    await this.advanceOrFail(runId);
    return this.runs.getRun(runId);
  }

  /**
   * Nothing but a step's outcome advances a run, so a run whose first steps could not be queued would wait for
   * ever: it fails instead, and can be resumed once the queue is back.
   */
  private async advanceOrFail(runId: string): Promise<void> {
    try {
      await this.advance(runId);
    } catch (error) {
      const unavailable = new StepQueueUnavailableError(runId, error);
      await this.runs.failRun(runId, unavailable.message);
      throw unavailable;
    }
  }

  /** Records how a step's job ended, then queues what became ready — in this run, and in runs waiting for the quota it held. */
  async recordOutcome(runId: string, step: string, generation: number, outcome: StepOutcome): Promise<string[]> {
    const row = (await this.runs.loadSteps(runId)).find((s) => s.name === step);
    // A job of an earlier generation reporting after a resume describes a superseded attempt.
    if (row === undefined || row.queued_generation !== generation) return [];
    const run = await this.runs.loadRunRow(runId);
    const failure = outcome.ok ? await this.completeFromJob(run, row, outcome.result, outcome.job) : outcome.error;
    if (failure !== undefined) await this.runs.markStepFailed(runId, step, failure, true, outcome.job);
    const queued = await this.advance(runId);
    if (row.kind === 'train') {
      for (const waiting of await this.quotas.runsWaitingFor(run.team)) if (waiting !== runId) queued.push(...(await this.advance(waiting)));
    }
    return queued;
  }

  /** Queues every step that is ready; returns their names. */
  advance(runId: string): Promise<string[]> {
    const next = this.serial.then(() => withAdvisoryLock(this.db, ADVISORY_LOCKS.pipelineEngine, () => this.advanceNow(runId)));
    this.serial = next.catch(() => undefined);
    return next;
  }

  private async advanceNow(runId: string): Promise<string[]> {
    const queued: string[] = [];
    for (;;) {
      const run = await this.runs.loadRunRow(runId);
      if (run.status === 'succeeded' || run.status === 'failed') return queued;
      const pipeline = this.pipelineOf(run);
      const rows = await this.runs.loadSteps(runId);
      let settled = false;
      for (const row of rows) {
        const decision = await this.decide(run, pipeline, rows, row);
        if (decision === 'settled') settled = true;
        if (decision === 'queued') queued.push(row.name);
      }
      // A cached or skipped step may have made others ready: look again until nothing changes.
      if (!settled) break;
    }
    await this.runs.succeedIfFinished(runId);
    return queued;
  }

  /** `settled`: finished here (cached or skipped); `queued`: its job was queued; `waiting`: nothing to do yet. */
  private async decide(run: RunRow, pipeline: PipelineSpec, rows: readonly RunStepRow[], row: RunStepRow): Promise<'settled' | 'queued' | 'waiting'> {
    if (FINISHED_STEP_STATUSES.includes(row.status) || row.status === 'running' || row.queued_generation === run.resumes) return 'waiting';
    const spec = stepSpec(pipeline, row.step);
    const sourceRows = stepInputs(spec).flatMap(({ from }) => rows.filter((r) => r.step === from));
    const skipped = sourceRows.find((source) => source.status === 'skipped');
    if (skipped) {
      await this.runs.skipStep(run.id, row.name, `its input "${skipped.name}" was skipped`);
      return 'settled';
    }
    if (!sourceRows.every((source) => source.status === 'succeeded' || source.status === 'cached')) return 'waiting';

    if ((spec.kind === 'register' || spec.kind === 'promote') && spec.when !== undefined) {
      const metrics = outputMetrics(sourceRows[0].kind, outputOf(sourceRows[0]));
      const actual = metrics?.[spec.when.metric];
      if (actual === undefined || !conditionHolds(spec.when, actual)) {
        const { metric, op, value } = spec.when;
        await this.runs.skipStep(run.id, row.name, `condition ${metric} ${op} ${value} does not hold (${metric} = ${actual ?? 'unknown'})`);
        return 'settled';
      }
    }

    const cacheable = isCacheEnabled(run, spec, row);
    if (cacheable && row.kind !== 'prepare') {
      const components = componentsOf(row, spec, sourceRows);
      const key = cacheKey(components);
      const hit = await this.cache.lookup(key);
      if (hit) {
        await this.runs.completeStep(run.id, row.name, {
          status: 'cached',
          output: JSON.parse(hit.output_json) as AnyStepOutput,
          cacheKey: key,
          components,
          cachedFrom: { runId: hit.run_id, step: hit.run_step },
        });
        return 'settled';
      }
    }

    if (row.kind === 'train') {
      const wait = await this.quotas.admission(run, pipeline, row);
      if (wait === 'parallelism') return 'waiting';
      if (wait !== null) {
        await this.runs.markWaitingForQuota(run.id, row.name, wait);
        return 'waiting';
      }
    }
    if (!(await this.runs.claimStep(run.id, row.name, run.resumes))) return 'waiting';
    try {
      await this.dispatcher.dispatch(await this.dispatchOf(run, spec, row, sourceRows, cacheable));
    } catch (error) {
      await this.runs.releaseClaim(run.id, row.name);
      throw error;
    }
    return 'queued';
  }

  private pipelineOf(run: RunRow): PipelineSpec {
    return readJsonColumn(recordedPipelineSchema, run.pipeline_json, `runs.pipeline_json of run "${run.id}"`);
  }

  private async dispatchOf(run: RunRow, spec: PipelineStep, row: RunStepRow, sources: readonly RunStepRow[], cacheable: boolean): Promise<StepDispatch> {
    const base = { runId: run.id, step: row.name, generation: run.resumes, retry: spec.retry };
    switch (spec.kind) {
      case 'prepare': {
        const candidates = cacheable ? await this.cache.withSameParams('prepare', JSON.parse(row.params_json)) : [];
        const reusable = candidates.map((entry) => {
          const output = preparedDatasetOf(JSON.parse(entry.output_json));
          return { sourceDigest: output.sourceDigest, output };
        });
        return { ...base, queue: 'data-prep', job: 'prepare-dataset', data: { runId: run.id, step: row.name, source: spec.params.dataset, reusable } };
      }
      case 'train': {
        const { model } = trainParamsSchema.parse(JSON.parse(row.params_json));
        const dataset = preparedDatasetOf(outputOf(sources[0]));
        return { ...base, queue: 'training', job: 'train-model', data: { runId: run.id, step: row.name, dataset, modelSpec: model } };
      }
      case 'evaluate':
        return { ...base, queue: 'registration', job: 'evaluate-models', data: { runId: run.id, step: row.name, candidates: sources.map((s) => s.name), ...evaluationGoal(spec) } };
      case 'register':
        return { ...base, queue: 'registration', job: 'register-model', data: { runId: run.id, step: row.name, modelName: spec.params.model, from: sources[0].name } };
      case 'promote':
        return { ...base, queue: 'registration', job: 'promote-version', data: { runId: run.id, step: row.name, alias: spec.params.alias, from: sources[0].name } };
    }
  }

  /**
   * Turns a job's result into the step's output, records it, and offers it to the cache. A result that breaks its
   * step's contract fails the step (returned as the reason): retrying the outcome could never make it fit.
   */
  private async completeFromJob(run: RunRow, row: RunStepRow, result: unknown, job: JobTimings): Promise<string | undefined> {
    const pipeline = this.pipelineOf(run);
    const spec = stepSpec(pipeline, row.step);
    const rows = await this.runs.loadSteps(run.id);
    const sources = stepInputs(spec).flatMap(({ from }) => rows.filter((r) => r.step === from));
    let output: AnyStepOutput;
    try {
      output = outputOfJob(row, result, sources, rows);
    } catch (error) {
      if (!(error instanceof z.ZodError)) throw error;
      return `its job's result does not match the ${row.kind} step's contract: ${describeZodError(error)}`;
    }
    const components =
      row.kind === 'prepare'
        ? cacheKeyComponents('prepare', JSON.parse(row.params_json), { source: STEP_OUTPUT_SCHEMAS.prepare.parse(output).sourceDigest })
        : componentsOf(row, spec, sources);
    const key = cacheKey(components);
    const reused = row.kind === 'prepare' && STEP_OUTPUT_SCHEMAS.prepare.parse(output).reused;
    const producer = reused ? await this.cache.lookup(key) : undefined;
    await this.runs.completeStep(run.id, row.name, {
      status: reused ? 'cached' : 'succeeded',
      output,
      cacheKey: CACHEABLE_KINDS.includes(row.kind) ? key : null,
      components: CACHEABLE_KINDS.includes(row.kind) ? components : null,
      cachedFrom: producer ? { runId: producer.run_id, step: producer.run_step } : null,
      job,
    });
    if (!reused && CACHEABLE_KINDS.includes(row.kind)) {
      await this.cache.put({ components, pipelineName: pipeline.name, step: row.step, runId: run.id, runStep: row.name, output });
    }
    return undefined;
  }
}

/** A prepare step's output as the data set reference jobs carry (without whether it was reused). */
function preparedDatasetOf(output: unknown): PreparedDatasetRef {
  const { reused: _reused, ...dataset } = STEP_OUTPUT_SCHEMAS.prepare.parse(output);
  return dataset;
}

function stepSpec(pipeline: PipelineSpec, name: string): PipelineStep {
  const spec = pipeline.steps.find((step) => step.name === name);
  if (!spec) throw new UnknownStepError(`pipeline "${pipeline.name}"`, name);
  return spec;
}

function isCacheEnabled(run: RunRow, spec: PipelineStep, row: RunStepRow): boolean {
  const noCache = noCacheSchema.parse(JSON.parse(run.no_cache_json));
  const bypassed = noCache === true || (Array.isArray(noCache) && noCache.includes(spec.name));
  return CACHEABLE_KINDS.includes(row.kind) && spec.cache && !bypassed;
}

function evaluationGoal(spec: Extract<PipelineStep, { kind: 'evaluate' }>): { metric: 'testAccuracy' | 'testLoss'; goal: 'max' | 'min' } {
  const { metric } = spec.params;
  return { metric, goal: spec.params.goal ?? (metric === 'testLoss' ? 'min' : 'max') };
}

/** The cache key parts of a step whose inputs are ready (a prepare step's come from its job). */
export function componentsOf(row: RunStepRow, spec: PipelineStep, sources: readonly RunStepRow[]): CacheKeyComponents {
  const inputs: Record<string, string> = {};
  for (const { input, from, index } of stepInputs(spec)) {
    const fed = sources.filter((source) => source.step === from);
    fed.forEach((source, i) => {
      const name = fed.length === 1 && index === undefined ? input : `${input}.${index ?? 0}.${i}`;
      inputs[name] = outputDigest(source.kind, outputOf(source));
    });
  }
  const params = JSON.parse(row.params_json) as unknown;
  switch (spec.kind) {
    case 'train':
      // GPUs change where a training runs, not what it produces.
      return cacheKeyComponents('train', { model: trainParamsSchema.parse(params).model }, inputs);
    case 'evaluate':
      return cacheKeyComponents('evaluate', evaluationGoal(spec), inputs);
    default:
      return cacheKeyComponents(spec.kind, params, inputs);
  }
}

/** A job's result as the step's output: evaluations keep the model they picked, registrations their training. */
function outputOfJob(row: RunStepRow, result: unknown, sources: readonly RunStepRow[], rows: readonly RunStepRow[]): AnyStepOutput {
  switch (row.kind) {
    case 'prepare':
      return STEP_OUTPUT_SCHEMAS.prepare.parse(result);
    case 'train':
      return STEP_OUTPUT_SCHEMAS.train.parse(result);
    case 'evaluate': {
      const { best } = evaluationResultSchema.parse(result);
      return STEP_OUTPUT_SCHEMAS.evaluate.parse({ ...evaluationResultSchema.parse(result), model: trainedModelOf(stepNamed(rows, best)) });
    }
    case 'register': {
      const training = trainingBehind(sources[0], rows);
      return STEP_OUTPUT_SCHEMAS.register.parse({
        ...registrationResultSchema.parse(result),
        metrics: STEP_OUTPUT_SCHEMAS.train.parse(outputOf(training)).metrics,
        trainStep: training.name,
      });
    }
    case 'promote':
      return STEP_OUTPUT_SCHEMAS.promote.parse(result);
  }
}

/** The training a model came from, following evaluations to the candidate they picked. */
function trainingBehind(row: RunStepRow, rows: readonly RunStepRow[]): RunStepRow {
  if (row.kind === 'train') return row;
  if (row.kind !== 'evaluate') throw new Error(`step "${row.name}" of run "${row.run_id}" produced no model`);
  return trainingBehind(stepNamed(rows, STEP_OUTPUT_SCHEMAS.evaluate.parse(outputOf(row)).best), rows);
}

function stepNamed(rows: readonly RunStepRow[], name: string): RunStepRow {
  const row = rows.find((r) => r.name === name);
  if (!row) throw new Error(`no step "${name}" in run "${rows[0]?.run_id}"`);
  return row;
}
