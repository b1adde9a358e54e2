import type { EarlyStopping, EpochMetrics, Task } from '@slipway/contracts';
import * as tf from '@tensorflow/tfjs';
import { ModelSpecError } from '../errors/model-spec.error';
import { loadNamedWeights, namedWeights, type NamedTensor } from './named-weights';

/** Where early stopping stands after an epoch. */
export interface EarlyStoppingProgress {
  bestEpoch: number;
  /** The monitored figure at the best epoch. */
  bestValue: number;
  /** Epochs since the best one. */
  wait: number;
}

/** What a checkpoint keeps of early stopping: its progress and the best epoch's weights. */
export interface EarlyStoppingState extends EarlyStoppingProgress {
  bestWeights: NamedTensor[];
}

/**
 * Early stopping's progress after `epoch`, whose monitored figure is `value`. The first epoch is the first best; a
 * later one is better when it beats the best by more than `minDelta` (lower valLoss, higher valAccuracy). A figure that
 * is not a number (a diverged loss) never improves on a best, and any number improves on a best that is not one.
 */
export function nextEarlyStoppingProgress(
  config: EarlyStopping,
  previous: EarlyStoppingProgress | undefined,
  epoch: number,
  value: number,
): { progress: EarlyStoppingProgress; improved: boolean } {
  if (previous === undefined || improves(config, value, previous.bestValue)) {
    return { progress: { bestEpoch: epoch, bestValue: value, wait: 0 }, improved: true };
  }
  return { progress: { ...previous, wait: previous.wait + 1 }, improved: false };
}

function improves(config: EarlyStopping, value: number, best: number): boolean {
  if (Number.isNaN(value)) return false;
  if (Number.isNaN(best)) return true;
  return config.monitor === 'valLoss' ? value < best - config.minDelta : value > best + config.minDelta;
}

/** Whether training stops here: `patience` epochs in a row did not improve on the best one. */
export function stopsEarly(config: EarlyStopping, progress: EarlyStoppingProgress | undefined): boolean {
  return progress !== undefined && progress.wait >= config.patience;
}

/**
 * Follows the monitored validation figure epoch by epoch and keeps a copy of the best epoch's weights, so the model
 * saved at the end, after an early stop or at the epoch limit, is the best epoch's. Holds tensors: dispose it.
 */
export class EarlyStoppingMonitor {
  private progress: EarlyStoppingProgress | undefined;
  private bestWeights: NamedTensor[] = [];

  /**
   * The monitor for a spec's `earlyStopping`, or undefined when it has none.
   * @throws ModelSpecError when the data set has no validation split to monitor, or valAccuracy is asked of a regressor.
   */
  static forTraining(config: EarlyStopping | undefined, task: Task, validationRows: number): EarlyStoppingMonitor | undefined {
    if (config === undefined) return undefined;
    if (validationRows === 0) {
      throw new ModelSpecError(
        'modelSpec.earlyStopping monitors the validation split, but the prepared data set has no validation rows: give split.validation a share or remove earlyStopping',
        'earlyStopping',
      );
    }
    if (config.monitor === 'valAccuracy' && task !== 'classification') {
      throw new ModelSpecError('modelSpec.earlyStopping.monitor valAccuracy needs a classifier; a regression monitors valLoss', 'earlyStopping.monitor');
    }
    return new EarlyStoppingMonitor(config);
  }

  private constructor(private readonly config: EarlyStopping) {}

  /** Continues from a checkpoint's state, taking ownership of its weights. */
  resume(state: EarlyStoppingState): void {
    const { bestWeights, ...progress } = state;
    this.dispose();
    this.progress = progress;
    this.bestWeights = bestWeights;
  }

  /** Records a finished epoch; copies the model's weights when the epoch is the best so far. */
  observe(metrics: EpochMetrics, model: tf.LayersModel): void {
    const value = metrics[this.config.monitor];
    const next = nextEarlyStoppingProgress(this.config, this.progress, metrics.epoch, value ?? Number.NaN);
    this.progress = next.progress;
    if (!next.improved) return;
    tf.dispose(this.bestWeights.map(({ tensor }) => tensor));
    this.bestWeights = namedWeights(model).map(({ name, tensor }) => ({ name, tensor: tensor.clone() }));
  }

  get stopped(): boolean {
    return stopsEarly(this.config, this.progress);
  }

  get bestEpoch(): number | undefined {
    return this.progress?.bestEpoch;
  }

  /** The state to checkpoint, or undefined before the first epoch. Its tensors stay the monitor's. */
  state(): EarlyStoppingState | undefined {
    return this.progress && { ...this.progress, bestWeights: this.bestWeights };
  }

  /** Puts the best epoch's weights back into the model (before the first epoch there is none to put back). */
  restoreBestWeights(model: tf.LayersModel): void {
    if (this.progress === undefined) return;
    loadNamedWeights(model, this.bestWeights);
  }

  dispose(): void {
    tf.dispose(this.bestWeights.map(({ tensor }) => tensor));
    this.bestWeights = [];
  }
}
