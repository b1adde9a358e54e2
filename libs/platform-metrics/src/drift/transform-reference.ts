import type { DriftReferenceFeature, Transform } from '@slipway/contracts';

/**
 * The training statistics of a trained version's numeric and one-hot categorical features, as drift compares with
 * them. Hashed and date features keep no training distribution, so they have no entry.
 */
export function transformReference(transform: Transform): DriftReferenceFeature[] {
  return transform.features.flatMap((feature): DriftReferenceFeature[] => {
    if (feature.kind === 'numeric') return [{ name: feature.name, kind: 'numeric', statistics: feature.statistics }];
    if (feature.kind === 'categorical') return [{ name: feature.name, kind: 'categorical', statistics: feature.statistics }];
    return [];
  });
}
