export * from './errors/inference-input.error';
export * from './errors/model-format.error';
export * from './tensor-data';
export * from './tensor-model';
export * from './load-tensor-model';
export * from './onnx/onnx-model';
export * from './tfjs/tfjs-graph-model';
export * from './tfjs/tfjs-layers-model';
