import type { DriftReferenceFeature, FeatureDrift } from '@slipway/contracts';
import { categoricalDrift } from './categorical-drift';
import { numericDrift } from './numeric-drift';

export type RawFeatureValue = number | string | null;

/**
 * Drift of every reference feature that has live values, against its reference distribution (a trained version's
 * training statistics, an imported version's reference rows); missing values are not part of a distribution.
 * Numeric features drop values that are not finite numbers; categoricals compare as strings.
 */
export function featureDrift(reference: readonly DriftReferenceFeature[], window: ReadonlyMap<string, readonly RawFeatureValue[]>): FeatureDrift[] {
  const drifts: FeatureDrift[] = [];
  for (const feature of reference) {
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
