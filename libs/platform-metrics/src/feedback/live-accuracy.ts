import { sampleRowRanges, type FeedbackRequest, type FeedbackResponse, type ModelAccuracyResponse, type PredictionLogGroup } from '@slipway/contracts';
import { Counter, Gauge, type Registry } from 'prom-client';
import { FeedbackLabelCountError, FeedbackLabelTypeError, UnknownPredictionsError } from './feedback-errors';

interface HeldPrediction {
  model: string;
  version: number;
  /** Classes of a classifier, values of a regressor. */
  predicted: readonly (string | number)[];
  /** What the feedback on these rows added to its version's tally, once feedback arrived (taken back when it is replaced). */
  scored?: Score;
}

/** Labelled rows, and how a classifier (correct rows) or a regressor (summed absolute and squared errors) did on them. */
interface Score {
  labelled: number;
  correct: number;
  absoluteError: number;
  squaredError: number;
  regression: boolean;
}

type Tally = Score;

/**
 * Sampled predictions kept by id (newest `capacity`, in memory: one monitoring replica consumes the events
 * queue and feedback arrives within minutes of the prediction, so losing the ledger on restart only loses
 * the chance to label those predictions), and the live accuracy their feedback gives per model version.
 */
export class LiveAccuracy {
  private readonly predictions = new Map<string, HeldPrediction>();
  private readonly tallies = new Map<string, Map<number, Tally>>();
  private readonly accuracyGauge: Gauge<'model' | 'version'>;
  private readonly maeGauge: Gauge<'model' | 'version'>;
  private readonly rmseGauge: Gauge<'model' | 'version'>;
  private readonly feedbackRows: Counter<'model' | 'version' | 'outcome'>;

  constructor(
    registry: Registry,
    private readonly capacity: number,
  ) {
    const registers = [registry];
    this.accuracyGauge = new Gauge({ name: 'slipway_live_accuracy', help: 'Share of labelled rows the model version predicted right (POST /api/feedback)', labelNames: ['model', 'version'], registers });
    this.maeGauge = new Gauge({ name: 'slipway_live_mae', help: "A regressor version's mean absolute error on labelled rows (POST /api/feedback)", labelNames: ['model', 'version'], registers });
    this.rmseGauge = new Gauge({ name: 'slipway_live_rmse', help: "A regressor version's root mean squared error on labelled rows (POST /api/feedback)", labelNames: ['model', 'version'], registers });
    this.feedbackRows = new Counter({ name: 'slipway_feedback_rows_total', help: 'Rows labelled through POST /api/feedback, by whether the prediction was right', labelNames: ['model', 'version', 'outcome'], registers });
  }

  get held(): number {
    return this.predictions.size;
  }

  /** Keeps the group's sampled predictions for feedback, by id; returns how many it kept. */
  record({ model, version, samples }: PredictionLogGroup): number {
    for (const { id, start, end } of sampleRowRanges(samples)) {
      // Re-inserting moves a repeated id to the newest end, so eviction order stays arrival order.
      this.forget(id);
      this.predictions.set(id, { model, version, predicted: samples.labels.slice(start, end) });
    }
    while (this.predictions.size > this.capacity) {
      const oldest = this.predictions.keys().next().value;
      if (oldest === undefined) break;
      this.forget(oldest);
    }
    return samples.ids.length;
  }

  /**
   * All or nothing: every id must be known, every label list must match its prediction's rows, and a regressor's
   * labels must be numbers.
   */
  applyFeedback(request: FeedbackRequest): FeedbackResponse {
    const unknown = request.feedback.filter((item) => !this.predictions.has(item.predictionId)).map((item) => item.predictionId);
    if (unknown.length > 0) throw new UnknownPredictionsError([...new Set(unknown)]);
    request.feedback.forEach((item, i) => {
      const held = this.predictions.get(item.predictionId) as HeldPrediction;
      if (held.predicted.length !== item.labels.length) throw new FeedbackLabelCountError(`body.feedback.${i}.labels`, item.predictionId, held.predicted.length, item.labels.length);
      const textual = isRegressor(held) ? item.labels.findIndex((label) => typeof label !== 'number') : -1;
      if (textual >= 0) throw new FeedbackLabelTypeError(`body.feedback.${i}.labels.${textual}`, item.predictionId);
    });
    let rows = 0;
    for (const item of request.feedback) {
      const held = this.predictions.get(item.predictionId) as HeldPrediction;
      const tally = this.tallyOf(held.model, held.version);
      const labels = { model: held.model, version: String(held.version) };
      if (held.scored !== undefined) addScore(tally, held.scored, -1);
      const scored = scoreOf(held, item.labels);
      held.scored = scored;
      addScore(tally, scored, 1);
      rows += held.predicted.length;
      if (scored.regression) {
        this.maeGauge.set(labels, tally.absoluteError / tally.labelled);
        this.rmseGauge.set(labels, Math.sqrt(tally.squaredError / tally.labelled));
      } else {
        this.feedbackRows.inc({ ...labels, outcome: 'correct' }, scored.correct);
        this.feedbackRows.inc({ ...labels, outcome: 'incorrect' }, scored.labelled - scored.correct);
        this.accuracyGauge.set(labels, tally.labelled > 0 ? tally.correct / tally.labelled : 0);
      }
    }
    return { accepted: request.feedback.length, rows };
  }

  report(model: string): ModelAccuracyResponse {
    const versions = [...(this.tallies.get(model) ?? new Map<number, Tally>())]
      .sort(([a], [b]) => a - b)
      .map(([version, tally]) => {
        const labelled = tally.labelled > 0;
        return {
          version,
          labelledRows: tally.labelled,
          correctRows: tally.correct,
          accuracy: labelled && !tally.regression ? tally.correct / tally.labelled : null,
          mae: labelled && tally.regression ? tally.absoluteError / tally.labelled : null,
          rmse: labelled && tally.regression ? Math.sqrt(tally.squaredError / tally.labelled) : null,
        };
      });
    return { model, versions };
  }

  private forget(id: string): void {
    this.predictions.delete(id);
  }

  private tallyOf(model: string, version: number): Tally {
    let byVersion = this.tallies.get(model);
    if (!byVersion) {
      byVersion = new Map();
      this.tallies.set(model, byVersion);
    }
    let tally = byVersion.get(version);
    if (!tally) {
      tally = { labelled: 0, correct: 0, absoluteError: 0, squaredError: 0, regression: false };
      byVersion.set(version, tally);
    }
    return tally;
  }
}

function isRegressor(held: HeldPrediction): boolean {
  return typeof held.predicted[0] === 'number';
}

function scoreOf(held: HeldPrediction, labels: readonly (string | number)[]): Score {
  if (!isRegressor(held)) {
    const correct = labels.filter((label, row) => String(label) === held.predicted[row]).length;
    return { labelled: labels.length, correct, absoluteError: 0, squaredError: 0, regression: false };
  }
  let absoluteError = 0;
  let squaredError = 0;
  labels.forEach((label, row) => {
    const error = Number(label) - Number(held.predicted[row]);
    absoluteError += Math.abs(error);
    squaredError += error * error;
  });
  return { labelled: labels.length, correct: 0, absoluteError, squaredError, regression: true };
}

function addScore(tally: Tally, score: Score, sign: 1 | -1): void {
  tally.labelled += sign * score.labelled;
  tally.correct += sign * score.correct;
  tally.absoluteError += sign * score.absoluteError;
  tally.squaredError += sign * score.squaredError;
  tally.regression = score.regression;
}
