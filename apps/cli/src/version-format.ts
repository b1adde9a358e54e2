import { isTrainedVersion, type ModelVersion } from '@slipway/contracts';
import { headlineMetric } from './metrics-format';

/** A trained version's headline figure; an imported one was measured elsewhere. */
export function versionMetric(version: ModelVersion): string {
  return isTrainedVersion(version) ? headlineMetric(version.metrics) : '—';
}

/** `run 7f3c… on wasm`, or `model.onnx by alice`: what produced the version. */
export function versionOrigin(version: ModelVersion): string {
  return isTrainedVersion(version) ? `run ${version.runId} on ${version.backend}` : `${version.source.fileName} by ${version.source.importedBy}`;
}
