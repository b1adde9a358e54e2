import type { ModelSignature, Transform } from '@slipway/contracts';

/** Inputs are the raw columns the transform encodes (in order); the output is the label's class set. */
export function signatureOf(transform: Transform, transformDigest: string): ModelSignature {
  return {
    inputs: transform.features.map((feature) =>
      feature.kind === 'numeric'
        ? { name: feature.name, kind: 'numeric' as const }
        : { name: feature.name, kind: 'categorical' as const, categories: [...feature.vocabulary] },
    ),
    output: { name: transform.label.name, classes: [...transform.label.classes] },
    transformDigest,
  };
}
