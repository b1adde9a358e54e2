import type { Generated, Kysely, Selectable } from 'kysely';
import type { RunStatus, StepName, StepStatus, TfBackend } from '@slipway/contracts';

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
  backend: TfBackend | null;
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

export interface RunStepsTable {
  run_id: string;
  name: StepName;
  status: StepStatus;
  attempts: number;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  error: string | null;
}

export interface RunEpochsTable {
  run_id: string;
  epoch: number;
  loss: number;
  accuracy: number;
  val_loss: number | null;
  val_accuracy: number | null;
  duration_ms: number;
}

export interface RegisteredModelsTable {
  name: string;
  created_at: string;
  description: Generated<string | null>;
}

export interface ModelVersionsTable {
  model_name: string;
  version: number;
  run_id: string;
  dataset_digest: string;
  backend: TfBackend;
  /** EvaluationMetrics */
  metrics_json: string;
  /** ArtifactRef */
  model_artifact_json: string;
  /** ArtifactRef */
  transform_artifact_json: string;
  created_at: string;
  description: Generated<string | null>;
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

export interface RegistryDatabase {
  runs: RunsTable;
  run_steps: RunStepsTable;
  run_epochs: RunEpochsTable;
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
}

export type RegistryDb = Kysely<RegistryDatabase>;

export type RunRow = Selectable<RunsTable>;
export type RunStepRow = Selectable<RunStepsTable>;
export type RunEpochRow = Selectable<RunEpochsTable>;
export type ModelVersionRow = Selectable<ModelVersionsTable>;
export type AliasAuditLogRow = Selectable<AliasAuditLogTable>;
export type RunMetricRow = Selectable<RunMetricsTable>;
