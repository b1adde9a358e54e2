import { sampleRowRanges, type FeedbackRequest, type FeedbackResponse, type ModelAccuracyResponse, type PredictionLogGroup } from '@slipway/contracts';
import { Counter, Gauge, type Registry } from 'prom-client';
import { FeedbackLabelCountError, UnknownPredictionsError } from './feedback-errors';

interface HeldPrediction {
  model: string;
  version: number;
  predicted: readonly string[];
  /** Rows of `predicted` the feedback confirmed, once feedback arrived. */
  correct?: number;
}

interface Tally {
  labelled: number;
  correct: number;
}

/**
 * Sampled predictions kept by id (newest `capacity`, in memory: one monitoring replica consumes the events
 * queue and feedback arrives within minutes of the prediction, so losing the ledger on restart only loses
 * the chance to label those predictions), and the live accuracy their feedback gives per model version.
 */
export class LiveAccuracy {
  private readonly predictions = new Map<string, HeldPrediction>();
  private readonly tallies = new Map<string, Map<number, Tally>>();
  private readonly accuracyGauge: Gauge<'model' | 'version'>;
  private readonly feedbackRows: Counter<'model' | 'version' | 'outcome'>;

  constructor(
    registry: Registry,
    private readonly capacity: number,
  ) {
    const registers = [registry];
    this.accuracyGauge = new Gauge({ name: 'slipway_live_accuracy', help: 'Share of labelled rows the model version predicted right (POST /api/feedback)', labelNames: ['model', 'version'], registers });
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

  /** All or nothing: every id must be known and every label list must match its prediction's rows. */
  applyFeedback(request: FeedbackRequest): FeedbackResponse {
    const unknown = request.feedback.filter((item) => !this.predictions.has(item.predictionId)).map((item) => item.predictionId);
    if (unknown.length > 0) throw new UnknownPredictionsError([...new Set(unknown)]);
    request.feedback.forEach((item, i) => {
      const held = this.predictions.get(item.predictionId) as HeldPrediction;
      if (held.predicted.length !== item.labels.length) throw new FeedbackLabelCountError(`body.feedback.${i}.labels`, item.predictionId, held.predicted.length, item.labels.length);
    });
    let rows = 0;
    for (const item of request.feedback) {
      const held = this.predictions.get(item.predictionId) as HeldPrediction;
      const tally = this.tallyOf(held.model, held.version);
      const labels = { model: held.model, version: String(held.version) };
      if (held.correct !== undefined) {
        tally.labelled -= held.predicted.length;
        tally.correct -= held.correct;
      }
      const correct = item.labels.filter((label, row) => label === held.predicted[row]).length;
      held.correct = correct;
      tally.labelled += held.predicted.length;
      tally.correct += correct;
      rows += held.predicted.length;
      this.feedbackRows.inc({ ...labels, outcome: 'correct' }, correct);
      this.feedbackRows.inc({ ...labels, outcome: 'incorrect' }, held.predicted.length - correct);
      this.accuracyGauge.set(labels, tally.labelled > 0 ? tally.correct / tally.labelled : 0);
    }
    return { accepted: request.feedback.length, rows };
  }

  report(model: string): ModelAccuracyResponse {
    const versions = [...(this.tallies.get(model) ?? new Map<number, Tally>())]
      .sort(([a], [b]) => a - b)
      .map(([version, tally]) => ({
        version,
        labelledRows: tally.labelled,
        correctRows: tally.correct,
        accuracy: tally.labelled > 0 ? tally.correct / tally.labelled : null,
      }));
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
      tally = { labelled: 0, correct: 0 };
      byVersion.set(version, tally);
    }
    return tally;
  }
}
