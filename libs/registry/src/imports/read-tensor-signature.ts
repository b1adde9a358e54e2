import type { ImportedModelFormat, TensorSignature, V2TensorMetadata } from '@slipway/contracts';
import { loadTensorModel, warmUp, type ModelFiles } from '@slipway/model-runtimes';

/** A model's signature as its runtime reads it from the model files. */
export interface RuntimeSignature {
  inputs: V2TensorMetadata[];
  outputs: V2TensorMetadata[];
  classLabels: Readonly<Record<string, readonly (string | number)[]>>;
}

/**
 * Loads the model with the runtime that will serve it and runs one prediction, as the check that it can, and reads
 * its signature; the runtime is released before answering (the registry serves nothing).
 * @param description names the model in errors (`iris.onnx`, `models/iris/1/model.onnx`).
 * @throws ModelFormatError when the files are not a model of that format the runtime can load and run
 */
export async function readRuntimeSignature(format: ImportedModelFormat, files: ModelFiles, description: string): Promise<RuntimeSignature> {
  const model = await loadTensorModel(format, files, description);
  try {
    await warmUp(model, description);
    return { ...model.signature, classLabels: model.classLabels };
  } finally {
    await model.dispose();
  }
}

/** The signature to register: these outputs (all the model's, or those a Triton config serves), with their class labels. */
export function tensorSignatureOf(read: RuntimeSignature, outputs: readonly V2TensorMetadata[] = read.outputs): TensorSignature {
  const labelled = outputs.flatMap(({ name }) => {
    const labels = read.classLabels[name];
    return labels ? [[name, [...labels]] as [string, (string | number)[]]] : [];
  });
  return { inputs: read.inputs, outputs: [...outputs], ...(labelled.length > 0 ? { classLabels: Object.fromEntries(labelled) } : {}) };
}
