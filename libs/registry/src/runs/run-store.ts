import type { EpochMetrics, MetricPoint, NoCache, PipelineSpec, RunStatus } from '@slipway/contracts';
import type { PlannedStep } from './run-plan';
import type { RunHeader, RunRecord, StepRecord } from './run-entities';

/** A run as it is first recorded: queued, every step pending. */
export interface NewRun {
  id: string;
  pipeline: PipelineSpec;
  experiment: string;
  noCache: NoCache;
  createdAt: string;
  /** The principal (token name) that submitted it; null without a token. */
  submittedBy: string | null;
  /** The client's Idempotency-Key: a second submission with it finds this run instead of making another. */
  idempotencyKey: string | null;
  /** The run's write-once params (the resolved pipeline flattened to dotted keys). */
  params: Readonly<Record<string, string>>;
  steps: readonly PlannedStep[];
}

export type RunPatch = Partial<
  Pick<
    RunRecord,
    'status' | 'startedAt' | 'finishedAt' | 'error' | 'resumes' | 'datasetDigest' | 'backend' | 'trainingDurationMs' | 'samplesPerSecond' | 'metrics' | 'modelVersion' | 'promotedTo'
  >
>;

export type StepPatch = Partial<
  Pick<StepRecord, 'status' | 'attempts' | 'priorAttempts' | 'startedAt' | 'finishedAt' | 'durationMs' | 'error' | 'queuedGeneration' | 'output' | 'cache' | 'progress' | 'metrics'>
>;

/** Metric points written with a change; a point at a (key, step) already stored is replaced. */
export interface MetricWrite {
  points: readonly MetricPoint[];
  /**
   * Keep the timestamp already stored for a (key, step) and replace only the value: for the final history of a
   * training, whose epochs were first recorded live with the time they ended.
   */
  keepTimestamps: boolean;
}

/** A training's per-epoch curve: `replace` swaps the whole curve, otherwise the epochs are upserted by number. */
export interface EpochWrite {
  step: string;
  epochs: readonly EpochMetrics[];
  replace: boolean;
}

/** What one decision changes in a run's record, written at once. */
export interface RunChange {
  run?: RunPatch;
  steps?: readonly { name: string; patch: StepPatch }[];
  metrics?: readonly MetricWrite[];
  epochs?: readonly EpochWrite[];
}

/** A run before and after a change; `changed` is false when `decide` chose to change nothing. */
export interface ChangedRun {
  before: RunRecord;
  after: RunRecord;
  changed: boolean;
}

export interface RunFilter {
  status?: RunStatus;
  /** Runs whose source dataset has this content digest. */
  datasetDigest?: string;
  /** @defaultValue every run */
  limit?: number;
}

/** A training queued or running (its job is in the queue), counted against its team's quotas. */
export interface ActiveTraining {
  runId: string;
  step: string;
  gpus: number;
}

/**
 * Where runs live: a run with its steps, epochs and metric points is one aggregate, read and written whole through
 * this boundary, never as rows. Every implementation parses what it stores into the entities once (the SQL one
 * through the contracts' schemas) and applies a change exactly as {@link applyRunChange} describes it.
 */
export interface RunStore {
  /** @throws RunAlreadyExistsError */
  create(run: NewRun): Promise<RunRecord>;
  /** @throws RunNotFoundError */
  load(runId: string): Promise<RunRecord>;
  /** The run submitted with this Idempotency-Key, if any. */
  findByIdempotencyKey(key: string): Promise<RunRecord | undefined>;
  /**
   * Reads the run, asks `decide` what to change (null: nothing) and writes that, with no other change of the run in
   * between. @throws RunNotFoundError; whatever `decide` throws (nothing is written then)
   */
  change(runId: string, decide: (run: RunRecord) => RunChange | null): Promise<ChangedRun>;
  /** Newest first. */
  list(filter?: RunFilter): Promise<RunHeader[]>;
  /** Every status is present, with 0 when no run has it. */
  countByStatus(): Promise<Record<RunStatus, number>>;
  /** Each training's epochs in order, by step name (only `step`'s when given). @throws RunNotFoundError */
  epochs(runId: string, step?: string): Promise<Map<string, EpochMetrics[]>>;
  /** Every point by key then step; only `key`'s when given. @throws RunNotFoundError */
  metricHistory(runId: string, key?: string): Promise<MetricPoint[]>;
  /** The team's trainings queued or running, across its runs. */
  activeTrainings(team: string): Promise<ActiveTraining[]>;
  /** Unfinished runs of the team with a training waiting for quota, oldest first. */
  runsWaitingForQuota(team: string): Promise<string[]>;
  /**
   * Runs `work` while no other engine decision runs: within this process and, where the database can lock across
   * processes (PostgreSQL), across registry replicas.
   */
  exclusively<T>(work: () => Promise<T>): Promise<T>;
}
