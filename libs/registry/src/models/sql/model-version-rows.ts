import { artifactRefSchema, evaluationMetricsSchema, importedModelVersionSchema, isTrainedFormat, type ModelVersion, type Tags } from '@slipway/contracts';
import type { z } from 'zod';
import { CorruptRecordError } from '../../database/corrupt-record.error';
import { readJsonColumn } from '../../database/json-column';
import type { ModelVersionRow } from '../../database/registry-database.types';

/** What `import_json` holds: the parts of an imported version that only it has. */
export const importDetailsSchema = importedModelVersionSchema.pick({ signature: true, batching: true, source: true, driftReference: true });
export type ImportDetails = z.infer<typeof importDetailsSchema>;

export function toModelVersion(row: ModelVersionRow, aliases: readonly string[], tags: Tags): ModelVersion {
  const where = (column: string) => `model_versions.${column} of ${row.model_name} v${row.version}`;
  const common = {
    model: row.model_name,
    version: row.version,
    modelArtifact: readJsonColumn(artifactRefSchema, row.model_artifact_json, where('model_artifact_json')),
    aliases: [...aliases].sort(),
    createdAt: row.created_at,
    description: row.description,
    tags,
  };
  const { format } = row;
  if (!isTrainedFormat(format)) {
    return { ...common, format, ...readJsonColumn(importDetailsSchema, present(row.import_json, where('import_json')), where('import_json')) };
  }
  return {
    ...common,
    format,
    runId: present(row.run_id, where('run_id')),
    datasetDigest: present(row.dataset_digest, where('dataset_digest')),
    backend: present(row.backend, where('backend')),
    metrics: readJsonColumn(evaluationMetricsSchema, present(row.metrics_json, where('metrics_json')), where('metrics_json')),
    transformArtifact: readJsonColumn(artifactRefSchema, present(row.transform_artifact_json, where('transform_artifact_json')), where('transform_artifact_json')),
  };
}

/** A trained version's own columns are null only when the row was written by hand. */
function present<T>(value: T | null, location: string): T {
  if (value === null) throw new CorruptRecordError(location, 'a trained version needs it, but it is null');
  return value;
}
