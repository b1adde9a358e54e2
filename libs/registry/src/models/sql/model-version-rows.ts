import { artifactRefSchema, evaluationMetricsSchema, type ModelVersion, type Tags } from '@slipway/contracts';
import { readJsonColumn } from '../../database/json-column';
import type { ModelVersionRow } from '../../database/registry-database.types';

export function toModelVersion(row: ModelVersionRow, aliases: readonly string[], tags: Tags): ModelVersion {
  const where = (column: string) => `model_versions.${column} of ${row.model_name} v${row.version}`;
  return {
    model: row.model_name,
    version: row.version,
    runId: row.run_id,
    datasetDigest: row.dataset_digest,
    backend: row.backend,
    metrics: readJsonColumn(evaluationMetricsSchema, row.metrics_json, where('metrics_json')),
    modelArtifact: readJsonColumn(artifactRefSchema, row.model_artifact_json, where('model_artifact_json')),
    transformArtifact: readJsonColumn(artifactRefSchema, row.transform_artifact_json, where('transform_artifact_json')),
    aliases: [...aliases].sort(),
    createdAt: row.created_at,
    description: row.description,
    tags,
  };
}
