import type * as tf from '@tensorflow/tfjs';
import { onnx } from 'onnx-proto';

/**
 * The same function as a tfjs model of dense layers (relu hidden layers, a softmax output), as an ONNX graph of
 * MatMul, Add, Relu and Softmax over copies of its weights: what the runtime comparison runs on both sides.
 */
export function onnxFromDense(model: tf.Sequential, inputWidth: number): Uint8Array {
  const nodes: onnx.INodeProto[] = [];
  const initializers: onnx.ITensorProto[] = [];
  let previous = 'features';
  model.layers.forEach((layer, index) => {
    const [kernel, bias] = layer.getWeights();
    if (!kernel || !bias) throw new Error(`layer ${layer.name} is not a dense layer with a bias`);
    const weight = (name: string, tensor: tf.Tensor) => {
      const values = tensor.dataSync() as Float32Array;
      initializers.push({ name, dims: tensor.shape, dataType: onnx.TensorProto.DataType.FLOAT, rawData: new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength)) });
      return name;
    };
    const product = `dense${index}_product`;
    const sum = `dense${index}_sum`;
    nodes.push({ opType: 'MatMul', input: [previous, weight(`dense${index}_kernel`, kernel)], output: [product] });
    nodes.push({ opType: 'Add', input: [product, weight(`dense${index}_bias`, bias)], output: [sum] });
    const last = index === model.layers.length - 1;
    const activated = last ? 'probabilities' : `dense${index}_relu`;
    nodes.push({ opType: last ? 'Softmax' : 'Relu', input: [sum], output: [activated], attribute: last ? [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: -1 }] : [] });
    previous = activated;
  });
  const units = model.outputs[0]?.shape.at(-1) ?? 0;
  const tensor = (name: string, width: number): onnx.IValueInfoProto => ({
    name,
    type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimParam: 'N' }, { dimValue: width }] } } },
  });
  return onnx.ModelProto.encode({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 18 }],
    producerName: 'slipway-bench',
    graph: { name: 'dense', node: nodes, initializer: initializers, input: [tensor('features', inputWidth)], output: [tensor('probabilities', units ?? 0)] },
  }).finish();
}
