import type { FeatureDrift, Transform } from '@slipway/contracts';
import { categoricalDrift } from './categorical-drift';
import { numericDrift } from './numeric-drift';

export type RawFeatureValue = number | string;

/**
 * Drift of every feature of the transform that has live values, against the training statistics the
 * transform carries. Numeric features drop values that are not finite numbers; categoricals compare as strings.
 */
export function featureDrift(transform: Transform, window: ReadonlyMap<string, readonly RawFeatureValue[]>): FeatureDrift[] {
  const drifts: FeatureDrift[] = [];
  for (const feature of transform.features) {
    const raw = window.get(feature.name);
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
