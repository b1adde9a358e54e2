import {
  defaultSelectionMetric,
  higherIsBetter,
  parseMetricRef,
  stepInputs,
  type CacheKeyComponents,
  type MetricRef,
  type PipelineSpec,
  type PipelineStep,
  type StepKind,
  type StepOfKind,
  type Task,
} from '@slipway/contracts';
import { producedBy, rowsOfStep, type RunRecord, type StepRecord, type StepRecordOf } from '../runs/run-entities';
import { outputDigest } from '../runs/step-outputs';
import { cacheKeyComponents } from './cache-key';
import { UnknownStepError } from './pipeline-errors';

// What the engine and the cache explainer read off a run's record about one of its steps.

/** The pipeline step a run's step belongs to, of the step's own kind. @throws UnknownStepError */
export function pipelineStepOf<K extends StepKind>(pipeline: PipelineSpec, step: StepRecordOf<K>): StepOfKind<K> {
  const spec = pipeline.steps.find((candidate) => candidate.name === step.step);
  if (spec === undefined || spec.kind !== step.kind) throw new UnknownStepError(`pipeline "${pipeline.name}"`, step.step);
  return spec as StepOfKind<K>;
}

/** The run's steps a pipeline step reads from, in input order (every training of a grid it reads). */
export function sourcesOf(run: RunRecord, spec: PipelineStep): StepRecord[] {
  return stepInputs(spec).flatMap(({ from }) => rowsOfStep(run, from));
}

/** The metric an evaluate step chooses by (its own, or its candidates' task's default) and which way is better. */
export function evaluationGoal(spec: StepOfKind<'evaluate'>, task: Task): { metric: MetricRef; goal: 'max' | 'min' } {
  const metric = spec.params.metric ?? defaultSelectionMetric(task);
  const parsed = parseMetricRef(metric);
  return { metric, goal: spec.params.goal ?? (parsed !== undefined && !higherIsBetter(parsed.name) ? 'min' : 'max') };
}

/** The task of the models the steps trained or picked (every candidate of one evaluation shares its data set). */
export function taskOf(sources: readonly StepRecord[]): Task {
  for (const source of sources) {
    if (source.kind === 'train' && source.output !== null) return source.output.metrics.test.task;
    if (source.kind === 'evaluate' && source.output !== null) return source.output.model.metrics.test.task;
  }
  return 'classification';
}

/** The cache key parts of a step whose inputs are ready (a prepare step's come from its job: its source's digest). */
export function componentsOf(step: StepRecord, spec: PipelineStep, sources: readonly StepRecord[]): CacheKeyComponents {
  const inputs: Record<string, string> = {};
  for (const { input, from, index } of stepInputs(spec)) {
    const fed = sources.filter((source) => source.step === from);
    fed.forEach((source, i) => {
      const name = fed.length === 1 && index === undefined ? input : `${input}.${index ?? 0}.${i}`;
      inputs[name] = outputDigest(producedBy(source));
    });
  }
  if (step.kind === 'train') {
    // GPUs change where a training runs, not what it produces.
    return cacheKeyComponents('train', { model: step.params.model }, inputs);
  }
  if (spec.kind === 'evaluate') return cacheKeyComponents('evaluate', evaluationGoal(spec, taskOf(sources)), inputs);
  return cacheKeyComponents(step.kind, step.params, inputs);
}

/** The training a model came from, following evaluations to the candidate they picked. */
export function trainingBehind(run: RunRecord, step: StepRecord): StepRecordOf<'train'> {
  if (step.kind === 'train') return step;
  const picked = step.kind === 'evaluate' ? step.output?.best : undefined;
  const candidate = run.steps.find((s) => s.name === picked);
  if (candidate === undefined) throw new Error(`step "${step.name}" of run "${run.id}" produced no model`);
  return trainingBehind(run, candidate);
}
