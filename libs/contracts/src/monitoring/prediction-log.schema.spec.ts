import { describeZodError } from '../zod-errors';
import { eventsQueue } from '../queues/events.queue';
import { predictionLogEventSchema, predictionLogOfRecords, predictionLogRequestCount, sampleRowRanges, type PredictionLogGroup, type PredictionRecord } from './prediction-log.schema';

const at = '2026-03-01T12:00:00.000Z';
const records: PredictionRecord[] = [
  { model: 'iris', version: 1, rows: 2, latencyMs: 1.5, ok: true, prediction: { id: 'a', at, inputs: { x: [1, 2], colour: ['red', 'blue'] }, labels: ['setosa', 'virginica'] } },
  { model: 'iris', version: 2, rows: 1, latencyMs: 0.5, ok: true },
  { model: 'iris', version: 1, rows: 0, latencyMs: 0.2, ok: false },
  { model: 'iris', version: 1, rows: 1, latencyMs: 3, ok: true, prediction: { id: 'b', at, inputs: { x: [3], colour: ['red'] }, labels: ['versicolor'] } },
];

describe('the prediction log', () => {
  it('holds records as columns, one group per model version, and tells where each sample\'s rows lie', () => {
    const event = predictionLogEventSchema.parse(predictionLogOfRecords('serving-1', records));
    expect(predictionLogRequestCount(event)).toBe(4);
    const [first, second] = event.groups as [PredictionLogGroup, PredictionLogGroup];
    expect(first.requests).toEqual({ latencyMs: [1.5, 0.2, 3], rows: [2, 0, 1], ok: [true, false, true] });
    expect(second).toMatchObject({ model: 'iris', version: 2, samples: { ids: [] } });
    expect(first.samples).toEqual({
      ids: ['a', 'b'],
      answeredAtMs: [Date.parse(at), Date.parse(at)],
      rows: [2, 1],
      inputs: { x: [1, 2, 3], colour: ['red', 'blue', 'red'] },
      labels: ['setosa', 'virginica', 'versicolor'],
    });
    expect(sampleRowRanges(first.samples)).toEqual([
      { id: 'a', start: 0, end: 2 },
      { id: 'b', start: 2, end: 3 },
    ]);
  });

  it('refuses columns of different lengths, naming the column and the lengths', () => {
    const event = predictionLogOfRecords('serving-1', records);
    const group = event.groups[0] as PredictionLogGroup;
    group.requests.ok.pop();
    group.samples.inputs['x']?.push(4);
    group.samples.labels.pop();
    const parsed = predictionLogEventSchema.safeParse(event);
    expect(parsed.success).toBe(false);
    const message = parsed.error ? describeZodError(parsed.error) : '';
    expect(message).toContain('groups.0.requests.ok: has 2 entries but requests.latencyMs gives 3');
    expect(message).toContain('groups.0.samples.labels: has 2 entries but the sum of samples.rows gives 3');
    expect(message).toContain('groups.0.samples.inputs.x: has 4 entries but the sum of samples.rows gives 3');
  });

  it('still reads the record batches older serving replicas sent, as the same columnar event', () => {
    const legacy = eventsQueue.jobs['prediction-batch'].data.parse({ source: 'serving-old', records });
    expect(legacy).toEqual(predictionLogOfRecords('serving-old', records));
    expect(eventsQueue.jobs['prediction-batch'].data.safeParse({ source: 'serving-old', records: [] }).success).toBe(false);
  });
});
