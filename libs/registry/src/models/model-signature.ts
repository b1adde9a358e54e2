import type { ModelSignature, Transform } from '@slipway/contracts';

/** Inputs are the raw columns the transform encodes (in order); the output is the label's classes, or its value. */
export function signatureOf(transform: Transform, transformDigest: string): ModelSignature {
  const { label } = transform;
  return {
    inputs: transform.features.map((feature) =>
      feature.kind === 'categorical' ? { name: feature.name, kind: 'categorical' as const, categories: [...feature.vocabulary] } : { name: feature.name, kind: feature.kind },
    ),
    output: label.task === 'classification' ? { task: 'classification', name: label.name, classes: [...label.classes] } : { task: 'regression', name: label.name },
    transformDigest,
  };
}
