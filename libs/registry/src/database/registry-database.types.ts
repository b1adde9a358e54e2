import type { Generated, Kysely, Selectable } from 'kysely';
import type { ModelFormat, RunStatus, StepKind, StepStatus, TrainingBackend } from '@slipway/contracts';

/** Timestamps are ISO-8601 strings; JSON blobs are TEXT validated with the contracts' schemas on read. */
export interface RunsTable {
  id: string;
  pipeline_name: string;
  status: RunStatus;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  error: string | null;
  /** PipelineSpec */
  pipeline_json: string;
  dataset_digest: string | null;
  backend: TrainingBackend | null;
  /** EvaluationMetrics */
  metrics_json: string | null;
  model_name: string | null;
  model_version: number | null;
  promoted_to: string | null;
  experiment: Generated<string>;
  host: Generated<string | null>;
  peak_memory_bytes: Generated<number | null>;
  training_duration_ms: Generated<number | null>;
  samples_per_second: Generated<number | null>;
  team: Generated<string>;
  resumes: Generated<number>;
  /** NoCache */
  no_cache_json: Generated<string>;
  /** The token (principal name) that submitted the run; null without one. */
  submitted_by: Generated<string | null>;
  idempotency_key: Generated<string | null>;
}

export interface ExperimentsTable {
  name: string;
  created_at: string;
}

/** Params and tags are text key/value pairs. */
export interface RunKeyValueTable {
  run_id: string;
  key: string;
  value: string;
}

export interface RunMetricsTable {
  run_id: string;
  key: string;
  step: number;
  value: number;
  timestamp: string;
}

export interface ModelTagsTable {
  model_name: string;
  key: string;
  value: string;
}

export interface ModelVersionTagsTable {
  model_name: string;
  version: number;
  key: string;
  value: string;
}

/** One step of a run, or one training of a grid step (0003-pipeline-dag). */
export interface RunStepsTable {
  run_id: string;
  /** The step's name, or `<step>[<index>]` for a grid's training. */
  name: string;
  /** The pipeline step it belongs to. */
  step: string;
  kind: StepKind;
  /** Display order: the steps' topological order, grid trainings in grid order. */
  position: number;
  /** Record<string, GridValue> | null */
  grid_json: string | null;
  /** The step's params with its grid point applied. */
  params_json: string;
  status: StepStatus;
  /** Attempts across retries, crash restarts and resumes. */
  attempts: number;
  /** Attempts made before the run's latest resume: a resumed step's job counts its own attempts from 1 again. */
  prior_attempts: Generated<number>;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  error: string | null;
  /** The run generation (resume count) whose job this step was queued in; null while not queued. */
  queued_generation: number | null;
  /** The step's output (its job's result), once it succeeded or was cached. */
  output_json: string | null;
  cache_key: string | null;
  /** CacheKeyComponents */
  cache_components_json: string | null;
  cached_from_run: string | null;
  cached_from_step: string | null;
  /** StepProgress */
  progress_json: string | null;
  /** EvaluationMetrics */
  metrics_json: string | null;
}

export interface StepEpochsTable {
  run_id: string;
  step: string;
  epoch: number;
  loss: number;
  /** null for regressors (0005-regression-epochs) */
  accuracy: number | null;
  val_loss: number | null;
  val_accuracy: number | null;
  duration_ms: number;
}

/** Step cache key → the outputs a step produced from exactly those inputs. */
export interface StepCacheTable {
  key: string;
  kind: StepKind;
  pipeline_name: string;
  /** The pipeline step's name (not the grid training's), for explaining misses against the nearest entry. */
  step: string;
  run_id: string;
  /** The run's step (grid training name) that produced the output. */
  run_step: string;
  /** sha256 of kind, code version and params alone: finds a prepare step's candidates before its source is hashed. */
  params_digest: string;
  components_json: string;
  output_json: string;
  created_at: string;
}

export interface RegisteredModelsTable {
  name: string;
  created_at: string;
  description: Generated<string | null>;
}

export interface ModelVersionsTable {
  model_name: string;
  version: number;
  /** Null for an imported version, as are the dataset digest, backend, metrics and transform. */
  run_id: string | null;
  dataset_digest: string | null;
  backend: TrainingBackend | null;
  /** EvaluationMetrics */
  metrics_json: string | null;
  /** ArtifactRef */
  model_artifact_json: string;
  /** ArtifactRef */
  transform_artifact_json: string | null;
  created_at: string;
  description: Generated<string | null>;
  format: Generated<ModelFormat>;
  /** ImportDetails (signature, batching, source) of an imported version */
  import_json: string | null;
  /** The model files manifest's digest of an imported version: a repeated import of the same files finds it. */
  import_digest: string | null;
}

export interface ModelAliasesTable {
  model_name: string;
  alias: string;
  version: number;
}

export interface AliasAuditLogTable {
  id: Generated<number>;
  model_name: string;
  alias: string;
  /** null when the alias was created */
  from_version: number | null;
  /** null when the alias was deleted */
  to_version: number | null;
  actor: string;
  at: string;
}

/** Recurring runs (0004-schedules). `paused` is 0/1; exactly one of `cron` and `every_ms` is set. */
export interface PipelineSchedulesTable {
  name: string;
  pipeline_name: string;
  /** PipelineSpec */
  pipeline_json: string;
  experiment: string;
  cron: string | null;
  timezone: string | null;
  every_ms: number | null;
  paused: Generated<number>;
  /** BullMQ job id of the trigger that submitted last_run_id, so a retried trigger submits nothing twice. */
  last_trigger_id: string | null;
  last_run_id: string | null;
  last_run_at: string | null;
  created_at: string;
  updated_at: string;
  /** The token (principal name) that created the schedule; its runs act with that token's scopes. */
  created_by: Generated<string | null>;
}
export type PipelineScheduleRow = Selectable<PipelineSchedulesTable>;

/** Issued API tokens; the secret itself is never stored. */
export interface ApiTokensTable {
  name: string;
  /** base64url SHA-256 of the token */
  digest: string;
  /** ApiScope[] */
  scopes_json: string;
  created_at: string;
  created_by: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}
export type ApiTokenRow = Selectable<ApiTokensTable>;

export interface RegistryDatabase {
  api_tokens: ApiTokensTable;
  runs: RunsTable;
  run_steps: RunStepsTable;
  step_epochs: StepEpochsTable;
  step_cache: StepCacheTable;
  registered_models: RegisteredModelsTable;
  model_versions: ModelVersionsTable;
  model_aliases: ModelAliasesTable;
  alias_audit_log: AliasAuditLogTable;
  experiments: ExperimentsTable;
  run_params: RunKeyValueTable;
  run_tags: RunKeyValueTable;
  run_metrics: RunMetricsTable;
  model_tags: ModelTagsTable;
  model_version_tags: ModelVersionTagsTable;
  pipeline_schedules: PipelineSchedulesTable;
}

export type RegistryDb = Kysely<RegistryDatabase>;

export type RunRow = Selectable<RunsTable>;
export type RunStepRow = Selectable<RunStepsTable>;
export type StepEpochRow = Selectable<StepEpochsTable>;
export type StepCacheRow = Selectable<StepCacheTable>;
export type ModelVersionRow = Selectable<ModelVersionsTable>;
export type AliasAuditLogRow = Selectable<AliasAuditLogTable>;
export type RunMetricRow = Selectable<RunMetricsTable>;
