import type { FeatureDrift, Transform } from '@slipway/contracts';
import { categoricalDrift } from './categorical-drift';
import { numericDrift } from './numeric-drift';

export type RawFeatureValue = number | string | null;

/**
 * Drift of every numeric and one-hot categorical feature of the transform that has live values, against the
 * training statistics the transform carries; missing values are not part of a distribution. Numeric features drop
 * values that are not finite numbers; categoricals compare as strings. Hashed and date features keep no training
 * distribution to compare with, so they have no drift figure.
 */
export function featureDrift(transform: Transform, window: ReadonlyMap<string, readonly RawFeatureValue[]>): FeatureDrift[] {
  const drifts: FeatureDrift[] = [];
  for (const feature of transform.features) {
    if (feature.kind === 'hashed' || feature.kind === 'date') continue;
    const raw = window.get(feature.name)?.filter((value): value is number | string => value !== null && value !== '');
    if (!raw || raw.length === 0) continue;
    if (feature.kind === 'numeric') {
      const values = raw.map(Number).filter(Number.isFinite);
      if (values.length === 0) continue;
      const drift = numericDrift(feature.statistics, values);
      drifts.push({ feature: feature.name, kind: 'numeric', psi: drift.psi, test: { method: 'ks', statistic: drift.ksStatistic, pValue: drift.ksPValue }, rows: drift.rows });
    } else {
      const drift = categoricalDrift(feature.statistics.frequencies, raw.map(String));
      drifts.push({ feature: feature.name, kind: 'categorical', psi: drift.psi, test: { method: 'chi2', statistic: drift.chiSquare, pValue: drift.chiSquarePValue }, rows: drift.rows });
    }
  }
  return drifts;
}
