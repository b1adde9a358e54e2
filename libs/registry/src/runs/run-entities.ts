import type {
  CacheKeyComponents,
  EvaluationMetrics,
  GridValue,
  NoCache,
  PipelineSpec,
  RunStatus,
  StepKind,
  StepProgress,
  StepStatus,
  TrainingBackend,
  TrainedModel,
} from '@slipway/contracts';
import type { KindedOutput, StepOutput, StepParams } from './step-outputs';


/** Where a step's outputs came from and under which key they are cached. */
export interface StepCacheState {
  /** null until the step's inputs are ready (a prepare step's: until its job hashed the source). */
  key: string | null;
  components: CacheKeyComponents | null;
  /** The run and step that produced reused outputs, when the step was cached. */
  cachedFrom: { runId: string; step: string } | null;
}

interface StepFields<K extends StepKind> {
  runId: string;
  /** The step's name, or `<step>[<index>]` for one training of a grid. */
  name: string;
  /** The pipeline step it belongs to. */
  step: string;
  kind: K;
  /** Display order: the steps' topological order, a grid's trainings in grid order. */
  position: number;
  /** The grid values this training tries; null outside a grid. */
  grid: Readonly<Record<string, GridValue>> | null;
  params: StepParams<K>;
  status: StepStatus;
  /** Attempts across retries, crash restarts and resumes. */
  attempts: number;
  /** Attempts made before the run's latest resume: a resumed step's job counts its own attempts from 1 again. */
  priorAttempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  /** Why it failed (or why its last attempt did), was skipped, or is waiting. */
  error: string | null;
  /** The run generation (resume count) whose job this step was queued in; null while not queued. */
  queuedGeneration: number | null;
  /** Its job's result as the step's output, once it succeeded or was cached (null for runs recorded before DAGs). */
  output: StepOutput<K> | null;
  cache: StepCacheState;
  /** The latest epoch of a running training. */
  progress: StepProgress | null;
  /** Test metrics of the model this step trained, picked or registered. */
  metrics: EvaluationMetrics | null;
}

/** One step of a run, or one training of a grid step, parsed once from its record: params and output typed by kind. */
export type StepRecord = { [K in StepKind]: StepFields<K> }[StepKind];
export type StepRecordOf<K extends StepKind> = Extract<StepRecord, { kind: K }>;

/** A run and its steps, as the engine decides on them. */
export interface RunRecord {
  id: string;
  pipelineName: string;
  /** The resolved pipeline (runs recorded before DAGs are read into the DAG form). */
  pipeline: PipelineSpec;
  experiment: string;
  /** Whose quotas the run's trainings count against. */
  team: string;
  /** The principal (token name) that submitted the run, whose scopes its promote steps act with; null without a token. */
  submittedBy: string | null;
  status: RunStatus;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  /** How many times the run was resumed: the generation of the jobs it queues now. */
  resumes: number;
  noCache: NoCache;
  datasetDigest: string | null;
  backend: TrainingBackend | null;
  trainingDurationMs: number | null;
  samplesPerSecond: number | null;
  metrics: EvaluationMetrics | null;
  modelVersion: { model: string; version: number } | null;
  promotedTo: string | null;
  steps: readonly StepRecord[];
}

/** A run without its pipeline and steps: what lists of runs show. */
export type RunHeader = Omit<RunRecord, 'pipeline' | 'noCache' | 'steps'>;

/** A run's step by name. @throws Error naming the run when it has none (the engine only asks for steps it planned). */
export function stepNamed(run: Pick<RunRecord, 'id' | 'steps'>, name: string): StepRecord {
  const found = run.steps.find((step) => step.name === name);
  if (found === undefined) throw new Error(`run "${run.id}" has no step "${name}"`);
  return found;
}

/** The steps of the run that belong to the pipeline step (one, or every training of a grid). */
export function rowsOfStep(run: Pick<RunRecord, 'steps'>, pipelineStep: string): StepRecord[] {
  return run.steps.filter((step) => step.step === pipelineStep);
}

/** A finished step's output with its kind, to digest or read metrics from. @throws Error when it has none yet */
export function producedBy(step: StepRecord): KindedOutput {
  if (step.output === null) throw new Error(`step "${step.name}" of run "${step.runId}" has no output yet`);
  return { kind: step.kind, output: step.output } as KindedOutput;
}

/** A finished step's output, which must be of `kind`. @throws Error naming the step otherwise */
export function outputOfKind<K extends StepKind>(step: StepRecord, kind: K): StepOutput<K> {
  if (step.kind !== kind || step.output === null) throw new Error(`step "${step.name}" of run "${step.runId}" has no ${kind} output (it is a ${step.status} ${step.kind} step)`);
  return step.output as StepOutput<K>;
}

/** The model a training trained, or an evaluation picked. @throws Error for other kinds and unfinished steps */
export function trainedModelOf(step: StepRecord): TrainedModel {
  const produced = producedBy(step);
  if (produced.kind === 'train') return produced.output;
  if (produced.kind === 'evaluate') return produced.output.model;
  throw new Error(`step "${step.name}" of run "${step.runId}" is a ${step.kind} step and produced no model`);
}

export function isRunFinished(status: RunStatus): boolean {
  return status === 'succeeded' || status === 'failed';
}
