import {
  conditionHolds,
  DEFAULT_EXPERIMENT,
  metricValue,
  describeZodError,
  evaluationResultSchema,
  FINISHED_STEP_STATUSES,
  noCacheSchema,
  registrationResultSchema,
  stepJob,
  type NoCache,
  type PipelineSpec,
  type PipelineStep,
  type PreparedDatasetRef,
  type Principal,
  type Run,
  type StepCondition,
  type StepJob,
  type StepRetry,
  type TeamQuotas,
} from '@slipway/contracts';
import { z } from 'zod';
import type { RunAuthority } from '../auth/run-authority';
import { canonicalJson } from '../runs/content-digest';
import { isRunFinished, outputOfKind, producedBy, stepNamed, trainedModelOf, type RunRecord, type StepRecord } from '../runs/run-entities';
import type { RunService } from '../runs/run.service';
import type { JobTimings } from '../runs/run-transitions';
import { outputMetrics, STEP_OUTPUT_SCHEMAS, type KindedOutput, type StepOutput } from '../runs/step-outputs';
import { cacheKey, cacheKeyComponents } from './cache-key';
import { IdempotencyKeyReusedError, PipelineSubmissionError, QueueUnavailableError, StepQueueUnavailableError } from './pipeline-errors';
import { componentsOf, evaluationGoal, pipelineStepOf, sourcesOf, taskOf, trainingBehind } from './pipeline-steps';
import type { StepCacheStore } from './step-cache';
import { CACHEABLE_KINDS } from './step-code-versions';
import { StepQuotas } from './step-quotas';
import { assertValidationSplitsFor } from './validation-split-check';

/** One step's job, typed by its queue's contract, for the dispatcher to queue. */
export type StepDispatch = StepJob & { runId: string; step: string; generation: number; retry: StepRetry | undefined };

/** Queues a step's job so that its outcome comes back through {@link PipelineEngine.recordOutcome}. */
export interface StepDispatcher {
  dispatch(step: StepDispatch): Promise<void>;
  /** Rejects at once (with the reason) when the queue does not answer now, so a run is refused before it is recorded. */
  assertReachable(): Promise<void>;
}

export type StepOutcome = ({ ok: true; result: unknown } | { ok: false; error: string }) & { job: JobTimings };

/** Turns the version a cached registration names into the one to use now (RegistrySteps does). */
export interface CachedRegistrations {
  reuse(cached: StepOutput<'register'>, promotedTo: readonly string[]): Promise<StepOutput<'register'>>;
}

export interface PipelineEngineDependencies {
  runs: RunService;
  cache: StepCacheStore;
  registrations: CachedRegistrations;
  dispatcher: StepDispatcher;
  authority: RunAuthority;
}

export interface PipelineEngineOptions {
  /** @defaultValue no limits */
  quotas?: TeamQuotas;
}

export interface SubmitOptions {
  experiment?: string;
  noCache?: NoCache;
  id?: string;
  /** The token the run acts for: its promote steps need that token's promote scopes. @defaultValue none */
  submitter?: Principal;
  /** A second submission with the same key returns the first run instead of recording another. */
  idempotencyKey?: string;
}

type Decision = 'settled' | 'queued' | 'waiting';

/**
 * Runs pipelines as DAGs: decides which steps are ready, skips those whose condition fails, reuses cached
 * outputs, holds trainings back at their grid's parallelism and their team's quotas, and queues the rest.
 * Every decision starts from the run's record, so a repeated or late call changes nothing. Decisions take turns,
 * within the process and across registry replicas (RunService.exclusively): two outcomes arriving together can
 * neither both take the last quota slot nor each miss the other and leave a join step unqueued.
 */
export class PipelineEngine {
  private readonly runs: RunService;
  private readonly cache: StepCacheStore;
  private readonly registrations: CachedRegistrations;
  private readonly dispatcher: StepDispatcher;
  private readonly quotas: StepQuotas;
  private readonly authority: RunAuthority;

  constructor({ runs, cache, registrations, dispatcher, authority }: PipelineEngineDependencies, options: PipelineEngineOptions = {}) {
    this.runs = runs;
    this.authority = authority;
    this.cache = cache;
    this.registrations = registrations;
    this.dispatcher = dispatcher;
    this.quotas = new StepQuotas(runs, options.quotas ?? {});
  }

  /**
   * Records a run and queues the steps that can start.
   * @throws PipelineSubmissionError when a training asks for more GPUs than its team may ever have, noCache names a
   *   step the pipeline lacks, or validation figures are asked of data without a validation split (nothing is
   *   recorded or queued then); AuthenticationRequiredError, MissingScopeError when a promote step moves a protected
   *   alias the submitter may not; IdempotencyKeyReusedError when the key came with another request.
   * @throws QueueUnavailableError when the queue does not answer: nothing is recorded, so submitting again makes one run.
   */
  async submit(pipeline: PipelineSpec, options: SubmitOptions = {}): Promise<Run> {
    const noCache = noCacheSchema.parse(options.noCache);
    if (Array.isArray(noCache)) {
      const unknown = noCache.findIndex((name) => !pipeline.steps.some((step) => step.name === name));
      if (unknown >= 0) throw new PipelineSubmissionError(`noCache.${unknown}`, `pipeline "${pipeline.name}" has no step "${noCache[unknown]}"`);
    }
    this.quotas.assertTeamListed(pipeline.team);
    pipeline.steps.forEach((step, i) => this.quotas.assertSatisfiable(pipeline.team, step, i));
    assertValidationSplitsFor(pipeline);
    this.authority.assertMayPromote(pipeline, options.submitter, `submitting pipeline "${pipeline.name}"`);
    await this.assertQueueReachable();
    const create = () => this.runs.createRun(pipeline, { experiment: options.experiment, noCache, id: options.id, submittedBy: options.submitter?.name ?? null, idempotencyKey: options.idempotencyKey ?? null });
    const key = options.idempotencyKey;
    if (key === undefined) {
      const run = await create();
      await this.advanceOrFail(run.id);
      return this.runs.getRun(run.id);
    }
    // Looked up and recorded in one decision turn, so two submissions with one key (retries racing) record one run.
    const { run, replayed } = await this.runs.exclusively(async () => {
      const earlier = await this.runs.findByIdempotencyKey(key);
      if (earlier === undefined) return { run: await create(), replayed: false };
      const sameRequest = canonicalJson([earlier.pipeline, earlier.experiment, earlier.noCache]) === canonicalJson([pipeline, options.experiment ?? DEFAULT_EXPERIMENT, noCache]);
      if (!sameRequest || earlier.submittedBy !== (options.submitter?.name ?? null)) throw new IdempotencyKeyReusedError(key, earlier.id);
      return { run: earlier, replayed: true };
    });
    if (!replayed) await this.advanceOrFail(run.id);
    return this.runs.getRun(run.id);
  }

  /** Reopens a failed run and queues its failed steps again; everything that succeeded is reused. */
  async resume(runId: string): Promise<Run> {
    await this.assertQueueReachable();
    await this.runs.reopenFailedRun(runId);
    await this.advanceOrFail(runId);
    return this.runs.getRun(runId);
  }

  /** Records how a step's job ended, then queues what became ready — in this run, and in runs waiting for the quota it held. */
  async recordOutcome(runId: string, stepName: string, generation: number, outcome: StepOutcome): Promise<string[]> {
    const run = await this.runs.record(runId);
    const step = run.steps.find((candidate) => candidate.name === stepName);
    // A job of an earlier generation reporting after a resume describes a superseded attempt.
    if (step === undefined || step.queuedGeneration !== generation) return [];
    const failure = outcome.ok ? await this.completeFromJob(run, step, outcome.result, outcome.job) : outcome.error;
    if (failure !== undefined) await this.runs.markStepFailed(runId, stepName, failure, true, outcome.job);
    const queued = await this.advance(runId);
    if (step.kind === 'train') {
      for (const waiting of await this.quotas.runsWaitingFor(run.team)) if (waiting !== runId) queued.push(...(await this.advance(waiting)));
    }
    return queued;
  }

  /** Queues every step that is ready; returns their names. */
  advance(runId: string): Promise<string[]> {
    return this.runs.exclusively(() => this.advanceNow(runId));
  }

  private async assertQueueReachable(): Promise<void> {
    try {
      await this.dispatcher.assertReachable();
    } catch (error) {
      throw new QueueUnavailableError(error);
    }
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

  private async advanceNow(runId: string): Promise<string[]> {
    const queued: string[] = [];
    let run = await this.runs.record(runId);
    for (;;) {
      if (isRunFinished(run.status)) return queued;
      let settled = false;
      for (const name of run.steps.map((step) => step.name)) {
        const decided = await this.decide(run, stepNamed(run, name));
        run = decided.run;
        if (decided.decision === 'settled') settled = true;
        if (decided.decision === 'queued') queued.push(name);
      }
      // A cached or skipped step may have made others ready: look again until nothing changes.
      if (!settled) break;
    }
    await this.runs.succeedIfFinished(runId);
    return queued;
  }

  /** `settled`: finished here (cached or skipped); `queued`: its job was queued; `waiting`: nothing to do yet. Returns the run as it is now. */
  private async decide(run: RunRecord, step: StepRecord): Promise<{ decision: Decision; run: RunRecord }> {
    const unchanged = { decision: 'waiting' as const, run };
    if (FINISHED_STEP_STATUSES.includes(step.status) || step.status === 'running' || step.queuedGeneration === run.resumes) return unchanged;
    const spec = pipelineStepOf(run.pipeline, step);
    const sources = sourcesOf(run, spec);
    const skipped = sources.find((source) => source.status === 'skipped');
    if (skipped) return { decision: 'settled', run: await this.runs.skipStep(run.id, step.name, `its input "${skipped.name}" was skipped`) };
    if (!sources.every((source) => source.status === 'succeeded' || source.status === 'cached')) return unchanged;

    const unmet = (spec.kind === 'register' || spec.kind === 'promote') && spec.when !== undefined ? unmetCondition(spec.when, sources[0]) : undefined;
    if (unmet !== undefined) return { decision: 'settled', run: await this.runs.skipStep(run.id, step.name, unmet) };

    const cacheable = isCacheEnabled(run, spec);
    if (cacheable && step.kind !== 'prepare') {
      const reused = await this.reuseCached(run, step, spec, sources);
      if (reused) return { decision: 'settled', run: reused };
    }

    if (step.kind === 'train') {
      const wait = await this.quotas.admission(run, step);
      if (wait === 'parallelism') return unchanged;
      if (wait !== null) return { decision: 'waiting', run: await this.runs.markWaitingForQuota(run.id, step.name, wait) };
    }
    const claimed = await this.runs.claimStep(run.id, step.name, run.resumes);
    if (claimed === null) return unchanged;
    try {
      await this.dispatcher.dispatch({ runId: run.id, step: step.name, generation: run.resumes, retry: spec.retry, ...(await this.jobOf(run, step, sources, cacheable)) });
    } catch (error) {
      await this.runs.releaseClaim(run.id, step.name);
      throw error;
    }
    return { decision: 'queued', run: claimed };
  }

  /** Completes the step from the cache when an earlier run produced its outputs from identical inputs; the run as it is then, or undefined on a miss. */
  private async reuseCached(run: RunRecord, step: StepRecord, spec: PipelineStep, sources: readonly StepRecord[]): Promise<RunRecord | undefined> {
    const components = componentsOf(step, spec, sources);
    const key = cacheKey(components);
    const hit = await this.cache.lookup(key);
    if (!hit) return undefined;
    const output = hit.kind === 'register' ? await this.registrations.reuse(hit.output, promotionsOf(run.pipeline, step.step)) : hit.output;
    return this.runs.completeStep(run.id, step.name, { status: 'cached', output, cacheKey: key, components, cachedFrom: { runId: hit.runId, step: hit.runStep } });
  }

  private async jobOf(run: RunRecord, step: StepRecord, sources: readonly StepRecord[], cacheable: boolean): Promise<StepJob> {
    const base = { runId: run.id, step: step.name };
    switch (step.kind) {
      case 'prepare': {
        const candidates = cacheable ? await this.cache.withSameParams('prepare', step.params) : [];
        const reusable = candidates.map((entry) => ({ sourceDigest: entry.output.sourceDigest, output: preparedDatasetOf(entry.output) }));
        return stepJob('prepare', { ...base, source: step.params.dataset, reusable });
      }
      case 'train':
        return stepJob('train', { ...base, dataset: preparedDatasetOf(outputOfKind(sources[0], 'prepare')), modelSpec: step.params.model });
      case 'evaluate':
        return stepJob('evaluate', { ...base, candidates: sources.map((s) => s.name), ...evaluationGoal(pipelineStepOf(run.pipeline, step), taskOf(sources)) });
      case 'register':
        return stepJob('register', { ...base, modelName: step.params.model, from: sources[0].name });
      case 'promote':
        return stepJob('promote', { ...base, alias: step.params.alias, from: sources[0].name });
    }
  }

  /**
   * Turns a job's result into the step's output, records it, and offers it to the cache. A result that breaks its
   * step's contract fails the step (returned as the reason): retrying the outcome could never make it fit.
   */
  private async completeFromJob(run: RunRecord, step: StepRecord, result: unknown, job: JobTimings): Promise<string | undefined> {
    const spec = pipelineStepOf(run.pipeline, step);
    const sources = sourcesOf(run, spec);
    let produced: KindedOutput;
    try {
      produced = outputOfJob(run, step, result, sources);
    } catch (error) {
      if (!(error instanceof z.ZodError)) throw error;
      return `its job's result does not match the ${step.kind} step's contract: ${describeZodError(error)}`;
    }
    const components =
      produced.kind === 'prepare' ? cacheKeyComponents('prepare', step.params, { source: produced.output.sourceDigest }) : componentsOf(step, spec, sources);
    const key = cacheKey(components);
    const reused = produced.kind === 'prepare' && produced.output.reused;
    const producer = reused ? await this.cache.lookup(key) : undefined;
    const cacheable = CACHEABLE_KINDS.includes(step.kind);
    await this.runs.completeStep(run.id, step.name, {
      status: reused ? 'cached' : 'succeeded',
      output: produced.output,
      cacheKey: cacheable ? key : null,
      components: cacheable ? components : null,
      cachedFrom: producer ? { runId: producer.runId, step: producer.runStep } : null,
      job,
    });
    if (!reused && cacheable) {
      await this.cache.put({ ...produced, components, pipelineName: run.pipelineName, step: step.step, runId: run.id, runStep: step.name });
    }
    return undefined;
  }
}

/** A prepare step's output as the data set reference jobs carry (without whether it was reused). */
function preparedDatasetOf(output: StepOutput<'prepare'>): PreparedDatasetRef {
  const { reused: _reused, ...dataset } = output;
  return dataset;
}

function isCacheEnabled(run: RunRecord, spec: PipelineStep): boolean {
  const bypassed = run.noCache === true || (Array.isArray(run.noCache) && run.noCache.includes(spec.name));
  return CACHEABLE_KINDS.includes(spec.kind) && spec.cache && !bypassed;
}

/** Why a step's condition on the metrics of the model it receives does not hold, or undefined when it holds. */
function unmetCondition(when: StepCondition, source: StepRecord | undefined): string | undefined {
  const metrics = source === undefined ? null : outputMetrics(producedBy(source));
  const actual = metrics === null ? undefined : metricValue(metrics, when.metric);
  if (actual !== undefined && conditionHolds(when, actual)) return undefined;
  return `condition ${when.metric} ${when.op} ${when.value} does not hold (${when.metric} = ${actual ?? 'unknown'})`;
}

/** The aliases the pipeline's promote steps move to the version a register step registers. */
function promotionsOf(pipeline: PipelineSpec, registerStep: string): string[] {
  return pipeline.steps.flatMap((spec) => (spec.kind === 'promote' && spec.inputs.version === registerStep ? [spec.params.alias] : []));
}

/** A job's result as the step's output: evaluations keep the model they picked, registrations their training. */
function outputOfJob(run: RunRecord, step: StepRecord, result: unknown, sources: readonly StepRecord[]): KindedOutput {
  switch (step.kind) {
    case 'prepare':
      return { kind: 'prepare', output: STEP_OUTPUT_SCHEMAS.prepare.parse(result) };
    case 'train':
      return { kind: 'train', output: STEP_OUTPUT_SCHEMAS.train.parse(result) };
    case 'evaluate': {
      const evaluation = evaluationResultSchema.parse(result);
      return { kind: 'evaluate', output: STEP_OUTPUT_SCHEMAS.evaluate.parse({ ...evaluation, model: trainedModelOf(stepNamed(run, evaluation.best)) }) };
    }
    case 'register': {
      const training = trainingBehind(run, sources[0]);
      const registered = registrationResultSchema.parse(result);
      return { kind: 'register', output: STEP_OUTPUT_SCHEMAS.register.parse({ ...registered, metrics: trainedModelOf(training).metrics, trainStep: training.name }) };
    }
    case 'promote':
      return { kind: 'promote', output: STEP_OUTPUT_SCHEMAS.promote.parse(result) };
  }
}
