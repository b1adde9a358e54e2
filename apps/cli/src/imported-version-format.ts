import type { ImportedModelVersion, V2TensorMetadata } from '@slipway/contracts';

const tensor = ({ name, datatype, shape }: V2TensorMetadata) => `${name} ${datatype} [${shape.join(', ')}]`;

/** `iris-onnx v3 (onnx, inputs X FP32 [-1, 4] → outputs label INT64 [-1], probabilities FP32 [-1, 3]) @production` */
export function formatImportedVersion(version: ImportedModelVersion): string {
  const { inputs, outputs } = version.signature;
  const aliases = version.aliases.map((alias) => ` @${alias}`).join('');
  return `${version.model} v${version.version} (${version.format}, inputs ${inputs.map(tensor).join(', ')} → outputs ${outputs.map(tensor).join(', ')})${aliases}`;
}
