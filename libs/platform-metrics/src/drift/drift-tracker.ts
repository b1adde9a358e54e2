import {
  driftPolicyEntrySchema,
  type DriftPolicy,
  type DriftPolicyEntry,
  type DriftReferenceFeature,
  type FeatureDrift,
  type ModelDriftResponse,
  type PredictionLogGroup,
  type VersionDrift,
} from '@slipway/contracts';
import { Gauge, type Registry } from 'prom-client';
import { featureDrift, type RawFeatureValue } from './feature-drift';
import { SlidingWindow } from './sliding-window';

/** A model version's window went above its PSI threshold (it was below, or never judged, before). */
export interface DriftCrossing {
  model: string;
  version: number;
  at: string;
  policy: DriftPolicyEntry;
  /** The features above the threshold. */
  features: FeatureDrift[];
}

interface VersionState {
  windows: Map<string, SlidingWindow<RawFeatureValue>>;
  reference?: readonly DriftReferenceFeature[];
  unavailable: string | null;
  drifted: boolean;
  evaluatedAt: string | null;
  features: FeatureDrift[];
}

const DEFAULT_POLICY = driftPolicyEntrySchema.parse({});

/**
 * Sliding windows of the sampled input rows per model version, judged against that version's reference (its training
 * statistics, or an imported version's reference rows): PSI and a KS / chi-square p-value per feature, exported as slipway_feature_drift. It reports a
 * crossing only on the way up, so one drift episode raises one alert until the window is back under the threshold.
 */
export class DriftTracker {
  private readonly versions = new Map<string, Map<number, VersionState>>();
  private readonly driftGauge: Gauge<'model' | 'version' | 'feature' | 'method'>;
  private readonly windowGauge: Gauge<'model' | 'version'>;
  private readonly driftedGauge: Gauge<'model' | 'version'>;

  constructor(
    registry: Registry,
    private readonly options: { windowRows: number; policy: DriftPolicy },
  ) {
    const registers = [registry];
    this.driftGauge = new Gauge({
      name: 'slipway_feature_drift',
      help: 'Per feature drift of the sampled window against its reference (training statistics, or reference rows of an import): method="psi" (index), "ks_pvalue" or "chi2_pvalue"',
      labelNames: ['model', 'version', 'feature', 'method'],
      registers,
    });
    this.windowGauge = new Gauge({ name: 'slipway_drift_window_rows', help: 'Sampled rows in the drift window per model version', labelNames: ['model', 'version'], registers });
    this.driftedGauge = new Gauge({ name: 'slipway_model_drifted', help: '1 while a feature of the model version is above its PSI threshold', labelNames: ['model', 'version'], registers });
  }

  policyOf(model: string): DriftPolicyEntry {
    return (Object.hasOwn(this.options.policy, model) ? this.options.policy[model] : undefined) ?? DEFAULT_POLICY;
  }

  /** Appends a group's sampled rows to its version's window; false when the group carries no samples. */
  observe({ model, version, samples }: PredictionLogGroup): boolean {
    if (samples.ids.length === 0) return false;
    const state = this.stateOf(model, version);
    for (const [feature, values] of Object.entries(samples.inputs)) {
      let window = state.windows.get(feature);
      if (!window) {
        window = new SlidingWindow<RawFeatureValue>(this.options.windowRows);
        state.windows.set(feature, window);
      }
      for (const value of values) window.push(value);
    }
    this.windowGauge.set({ model, version: String(version) }, windowRows(state));
    return true;
  }

  hasReference(model: string, version: number): boolean {
    return this.stateOf(model, version).reference !== undefined;
  }

  setReference(model: string, version: number, reference: readonly DriftReferenceFeature[]): void {
    const state = this.stateOf(model, version);
    state.reference = reference;
    state.unavailable = null;
  }

  /** Drift cannot be judged (e.g. the reference is unreadable, or an imported version has none); shown in the JSON report. */
  markUnavailable(model: string, version: number, reason: string): void {
    this.stateOf(model, version).unavailable = reason;
  }

  /** Recomputes the version's drift when its window is full enough; returns the crossing when it just went above the threshold. */
  evaluate(model: string, version: number, now = new Date()): DriftCrossing | undefined {
    const state = this.stateOf(model, version);
    const policy = this.policyOf(model);
    if (!state.reference || windowRows(state) < policy.minRows) return undefined;
    const values = new Map([...state.windows].map(([feature, window]) => [feature, window.values()]));
    state.features = featureDrift(state.reference, values);
    state.evaluatedAt = now.toISOString();
    const labels = { model, version: String(version) };
    for (const drift of state.features) {
      this.driftGauge.set({ ...labels, feature: drift.feature, method: 'psi' }, drift.psi);
      this.driftGauge.set({ ...labels, feature: drift.feature, method: drift.test.method === 'ks' ? 'ks_pvalue' : 'chi2_pvalue' }, drift.test.pValue);
    }
    const above = state.features.filter((drift) => drift.psi > policy.psiThreshold);
    const wasDrifted = state.drifted;
    state.drifted = above.length > 0;
    this.driftedGauge.set(labels, state.drifted ? 1 : 0);
    return state.drifted && !wasDrifted ? { model, version, at: state.evaluatedAt, policy, features: above } : undefined;
  }

  report(model: string): ModelDriftResponse {
    const policy = this.policyOf(model);
    const versions: VersionDrift[] = [...(this.versions.get(model) ?? new Map<number, VersionState>())]
      .sort(([a], [b]) => a - b)
      .map(([version, state]) => ({
        version,
        windowRows: windowRows(state),
        minRows: policy.minRows,
        psiThreshold: policy.psiThreshold,
        drifted: state.drifted,
        evaluatedAt: state.evaluatedAt,
        features: state.features,
        unavailable: state.unavailable,
      }));
    return { model, versions };
  }

  private stateOf(model: string, version: number): VersionState {
    let byVersion = this.versions.get(model);
    if (!byVersion) {
      byVersion = new Map();
      this.versions.set(model, byVersion);
    }
    let state = byVersion.get(version);
    if (!state) {
      state = { windows: new Map(), unavailable: null, drifted: false, evaluatedAt: null, features: [] };
      byVersion.set(version, state);
    }
    return state;
  }
}

function windowRows(state: VersionState): number {
  let rows = 0;
  for (const window of state.windows.values()) rows = Math.max(rows, window.size);
  return rows;
}
