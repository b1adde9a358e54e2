import type { ImportedModelFormat } from '@slipway/contracts';
import { OnnxModel } from './onnx/onnx-model';
import type { ModelFiles, TensorModel } from './tensor-model';
import { TfjsGraphModel } from './tfjs/tfjs-graph-model';
import { TfjsLayersModel } from './tfjs/tfjs-layers-model';

/**
 * Loads an imported model's files with the runtime of its format.
 * @param description names the model in errors (`iris v3`, a folder).
 * @throws ModelFormatError when the files are not a model of that format the runtime can run.
 */
export function loadTensorModel(format: ImportedModelFormat, files: ModelFiles, description: string): Promise<TensorModel> {
  switch (format) {
    case 'onnx':
      return OnnxModel.load(files, description);
    case 'tfjs-layers':
      return TfjsLayersModel.load(files, description);
    case 'tfjs-graph':
      return TfjsGraphModel.load(files, description);
  }
}
