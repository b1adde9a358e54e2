import { predictionLogOfRecords, type PredictionLogGroup } from '@slipway/contracts';
import { Registry } from 'prom-client';
import { FeedbackLabelCountError, FeedbackLabelTypeError, UnknownPredictionsError } from './feedback-errors';
import { LiveAccuracy } from './live-accuracy';

/** The log group of one sampled prediction. */
const record = (id: string, labels: string[], version = 1): PredictionLogGroup =>
  predictionLogOfRecords('serving-1', [
    { model: 'iris', version, rows: labels.length, latencyMs: 2, ok: true, prediction: { id, at: new Date().toISOString(), inputs: { x: labels.map(() => 1) }, labels } },
  ]).groups[0] as PredictionLogGroup;

/** The log group of one sampled prediction of a regressor: its predicted values. */
function regression(id: string, values: number[]): PredictionLogGroup {
  const group = record(id, values.map(String));
  return { ...group, model: 'mpg', samples: { ...group.samples, labels: values } };
}

describe('LiveAccuracy', () => {
  let registry: Registry;
  let live: LiveAccuracy;

  beforeEach(() => {
    registry = new Registry();
    live = new LiveAccuracy(registry, 3);
  });

  it('computes accuracy per model version from the feedback rows', async () => {
    live.record(record('a', ['setosa', 'virginica']));
    live.record(record('b', ['versicolor'], 2));
    expect(live.applyFeedback({ feedback: [{ predictionId: 'a', labels: ['setosa', 'versicolor'] }, { predictionId: 'b', labels: ['versicolor'] }] })).toEqual({ accepted: 2, rows: 3 });
    expect(live.report('iris').versions).toEqual([
      { version: 1, labelledRows: 2, correctRows: 1, accuracy: 0.5, mae: null, rmse: null },
      { version: 2, labelledRows: 1, correctRows: 1, accuracy: 1, mae: null, rmse: null },
    ]);
    const text = await registry.metrics();
    expect(text).toContain('slipway_live_accuracy{model="iris",version="1"} 0.5');
    expect(text).toContain('slipway_feedback_rows_total{model="iris",version="1",outcome="incorrect"} 1');
  });

  it('replaces earlier feedback for the same prediction instead of counting it twice', () => {
    live.record(record('a', ['setosa']));
    live.applyFeedback({ feedback: [{ predictionId: 'a', labels: ['virginica'] }] });
    live.applyFeedback({ feedback: [{ predictionId: 'a', labels: ['setosa'] }] });
    expect(live.report('iris').versions[0]).toMatchObject({ labelledRows: 1, correctRows: 1, accuracy: 1 });
  });

  it('rejects unknown ids, naming each, and applies nothing', () => {
    live.record(record('a', ['setosa']));
    const attempt = () => live.applyFeedback({ feedback: [{ predictionId: 'a', labels: ['setosa'] }, { predictionId: 'nope', labels: ['setosa'] }] });
    expect(attempt).toThrow(UnknownPredictionsError);
    expect(attempt).toThrow(/"nope"/);
    expect(live.report('iris').versions).toEqual([]);
  });

  it('rejects a label count that differs from the predicted rows, naming the field', () => {
    live.record(record('a', ['setosa', 'setosa']));
    expect(() => live.applyFeedback({ feedback: [{ predictionId: 'a', labels: ['setosa'] }] })).toThrow(FeedbackLabelCountError);
    expect(() => live.applyFeedback({ feedback: [{ predictionId: 'a', labels: ['setosa'] }] })).toThrow(/body\.feedback\.0\.labels/);
  });

  it('keeps only the newest predictions', () => {
    for (const id of ['a', 'b', 'c', 'd']) live.record(record(id, ['setosa']));
    expect(live.held).toBe(3);
    expect(() => live.applyFeedback({ feedback: [{ predictionId: 'a', labels: ['setosa'] }] })).toThrow(UnknownPredictionsError);
    expect(live.applyFeedback({ feedback: [{ predictionId: 'd', labels: ['setosa'] }] }).accepted).toBe(1);
  });

  it("scores a regressor's predictions by their errors: live MAE and RMSE, replaced when feedback comes again", async () => {
    live.record(regression('r', [20, 30]));
    live.applyFeedback({ feedback: [{ predictionId: 'r', labels: [21, 26] }] });
    expect(live.report('mpg').versions).toEqual([{ version: 1, labelledRows: 2, correctRows: 0, accuracy: null, mae: 2.5, rmse: Math.sqrt((1 + 16) / 2) }]);
    live.applyFeedback({ feedback: [{ predictionId: 'r', labels: [20, 31] }] });
    expect(live.report('mpg').versions[0]).toMatchObject({ labelledRows: 2, mae: 0.5, rmse: Math.sqrt(0.5) });
    const text = await registry.metrics();
    expect(text).toContain('slipway_live_mae{model="mpg",version="1"} 0.5');
  });

  it("refuses a regressor's feedback that is not a number, naming the label", () => {
    live.record(regression('r', [20]));
    expect(() => live.applyFeedback({ feedback: [{ predictionId: 'r', labels: ['twenty'] }] })).toThrow(FeedbackLabelTypeError);
    expect(() => live.applyFeedback({ feedback: [{ predictionId: 'r', labels: ['twenty'] }] })).toThrow(/body\.feedback\.0\.labels\.0/);
    expect(live.report('mpg').versions).toEqual([]);
  });
});
