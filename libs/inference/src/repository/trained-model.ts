import { transformSchema, type TrainedModelVersion, type Transform } from '@slipway/contracts';
import { loadModelBundle, ModelBundleError, modelSignatureOf, predictOutputs, type ModelSignature } from '@slipway/ml';
import { OnnxModel, type TensorModel } from '@slipway/model-runtimes';
import type { ArtifactStore } from '@slipway/storage';

/**
 * A model trained here as serving calls it, whatever runs it: encoded rows in (`rows × signature.width`), its head's
 * outputs out — probabilities per class, or one standardised value per row.
 */
export interface EncodedModel {
  predict(features: Float32Array, rows: number): Float32Array | Promise<Float32Array>;
  dispose(): void | Promise<void>;
}

/** A trained version ready to predict: its model, the transform it was trained behind, and what it takes and gives. */
export interface TrainedBundle {
  model: EncodedModel;
  transform: Transform;
  signature: ModelSignature;
}

/** What a trained ONNX model (forestToOnnx's export) is fed and read from. */
const ONNX_FEATURES = 'features';
const ONNX_HEAD_OUTPUT = { classification: 'probabilities', regression: 'value' } as const;

/**
 * Loads a trained version by its format: a tfjs network, or an ONNX model (a random forest) run by onnxruntime.
 * @throws ModelBundleError when the model does not take and give what its transform encodes.
 * @throws ModelFormatError (from the runtime) when the ONNX bytes cannot be run.
 */
export async function loadTrainedBundle(store: ArtifactStore, version: TrainedModelVersion): Promise<TrainedBundle> {
  const [modelDigest, transformDigest] = [version.modelArtifact.digest, version.transformArtifact.digest];
  if (version.format === 'slipway-tfjs') {
    const { model, transform, signature } = await loadModelBundle(store, modelDigest, transformDigest);
    return {
      model: { predict: (features, rows) => predictOutputs(model, features, rows, signature.width), dispose: () => void model.dispose() },
      transform,
      signature,
    };
  }
  const transform = await store.getJson(transformDigest, transformSchema);
  const signature = modelSignatureOf(transform);
  const runtime = await OnnxModel.load(await store.get(modelDigest), `ONNX model ${modelDigest}`);
  try {
    return { model: onnxEncodedModel(runtime, signature, `${modelDigest} (transform ${transformDigest})`), transform, signature };
  } catch (error) {
    await runtime.dispose();
    throw error;
  }
}

function onnxEncodedModel(runtime: TensorModel, signature: ModelSignature, description: string): EncodedModel {
  const outputName = ONNX_HEAD_OUTPUT[signature.task];
  const outputWidth = signature.task === 'classification' ? signature.classes.length : 1;
  const input = runtime.signature.inputs.find((tensor) => tensor.name === ONNX_FEATURES);
  const output = runtime.signature.outputs.find((tensor) => tensor.name === outputName);
  const fits = (shape: readonly number[] | undefined, width: number) => shape?.length === 2 && shape[1] === width;
  if (input?.datatype !== 'FP32' || !fits(input.shape, signature.width) || output?.datatype !== 'FP32' || !fits(output.shape, outputWidth)) {
    throw new ModelBundleError(
      `ONNX model ${description} must take "${ONNX_FEATURES}" FP32 [-1, ${signature.width}] and give "${outputName}" FP32 [-1, ${outputWidth}] ` +
        `for its transform, but takes ${runtime.signature.inputs.map(describeTensor).join(', ')} and gives ${runtime.signature.outputs.map(describeTensor).join(', ')}: they were not trained together`,
    );
  }
  return {
    async predict(features, rows) {
      const outputs = await runtime.run([{ name: ONNX_FEATURES, datatype: 'FP32', shape: [rows, signature.width], data: features }]);
      return outputs.find((tensor) => tensor.name === outputName)?.data as Float32Array;
    },
    dispose: () => runtime.dispose(),
  };
}

const describeTensor = ({ name, datatype, shape }: { name: string; datatype: string; shape: readonly number[] }) => `"${name}" ${datatype} [${shape.join(', ')}]`;
