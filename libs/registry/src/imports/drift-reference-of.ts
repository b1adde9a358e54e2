import { loggedFeatureColumns, type DriftReference, type DriftReferenceFeature, type TensorSignature, type V2Datatype } from '@slipway/contracts';
import { csvDriftReference, DatasetError } from '@slipway/ml';
import { ModelImportError } from '../errors/model-import.error';
import type { RepositoryFile } from './triton/triton-model';

/**
 * The drift reference of an imported model from reference rows (a CSV), its columns named as serving logs the
 * model's features: `X[0]` … `X[k-1]` for a `[N, k]` input X, the input's name for a `[N]` or `[N, 1]` one. A model
 * of one `[N, k]` input also takes exactly k columns of any names, read in order as `X[0]` … `X[k-1]`.
 * @throws ModelImportError naming the file for a CSV that cannot be read, no rows, a column without a value, or a
 *   column that is not one of the model's features (listing them)
 */
export async function driftReferenceOf(file: RepositoryFile, signature: TensorSignature): Promise<DriftReference> {
  const features = loggedFeatureColumns(signature);
  const described = `reference ${file.path}`;
  if (features.length === 0) {
    throw new ModelImportError(`${described}: the model's inputs have no feature columns to compare (only [N], [N, 1] and [N, k ≤ 32] inputs are logged)`);
  }
  let reference: DriftReference;
  try {
    reference = await csvDriftReference(file.bytes, described);
  } catch (error) {
    if (error instanceof DatasetError) throw new ModelImportError(error.message);
    throw error;
  }
  const columns = reference.features.map(({ name }) => name);
  const known = new Set(features);
  const unknown = columns.find((name) => !known.has(name));
  const datatypes = new Map(signature.inputs.flatMap((input) => loggedFeatureColumns({ ...signature, inputs: [input] }).map((name) => [name, input.datatype] as const)));
  const asServed = (feature: DriftReferenceFeature) => asTensorValues(feature, datatypes.get(feature.name) ?? 'BYTES', described);
  if (unknown === undefined) return { ...reference, features: reference.features.map(asServed) };
  if (signature.inputs.length === 1 && features.length > 1 && columns.length === features.length) {
    return { ...reference, features: reference.features.map((feature, index) => asServed({ ...feature, name: features[index] as string })) };
  }
  const inOrder = signature.inputs.length === 1 && features.length > 1 ? `, or exactly ${features.length} columns of any names, taken in that order` : '';
  throw new ModelImportError(`${described}: column "${unknown}" is not a feature of the model; its columns must be among ${features.join(', ')}${inOrder}`);
}

/**
 * The feature as the model's tensor holds its values. A float32 input is logged as float32 (5.8 arrives as
 * 5.800000190734863), so the range and deciles of an FP32 column are rounded the same way: otherwise every
 * value tied on a decile, as measured data often is, would fall on the wrong side of its bin edge.
 * @throws ModelImportError for a text column of a numeric tensor
 */
function asTensorValues(feature: DriftReferenceFeature, datatype: V2Datatype, described: string): DriftReferenceFeature {
  if (datatype === 'BYTES') return feature;
  if (feature.kind === 'categorical') {
    const example = Object.keys(feature.statistics.frequencies)[0] ?? '';
    throw new ModelImportError(`${described}: column "${feature.name}" holds text ("${example}"), but the model's input is ${datatype}; give numbers`);
  }
  if (datatype !== 'FP32') return feature;
  const { statistics } = feature;
  return { ...feature, statistics: { ...statistics, min: Math.fround(statistics.min), max: Math.fround(statistics.max), quantiles: statistics.quantiles.map(Math.fround) } };
}
