import seedrandom from 'seedrandom';
import { QueueFullError } from '../errors/queue-full.error';
import type { BatchExecution } from './batch-observer';
import { DynamicBatcher, type BatchingOptions } from './dynamic-batcher';
import { rowMatrixCodec } from './predictor';

const INPUT_WIDTH = 3;
const OUTPUT_WIDTH = 2;

/** A pure per-row function standing in for a model: any row mix-up between requests changes the answer. */
function rowFunction(features: Float32Array, rowCount: number): Float32Array {
  const outputs = new Float32Array(rowCount * OUTPUT_WIDTH);
  for (let row = 0; row < rowCount; row++) {
    const [a = 0, b = 0, c = 0] = features.subarray(row * INPUT_WIDTH, (row + 1) * INPUT_WIDTH);
    outputs[row * OUTPUT_WIDTH] = a * 2 + b;
    outputs[row * OUTPUT_WIDTH + 1] = c - a;
  }
  return outputs;
}

function randomRows(random: () => number, rowCount: number): Float32Array {
  return Float32Array.from({ length: rowCount * INPUT_WIDTH }, () => Math.round(random() * 1000) / 10);
}

const options = (overrides: Partial<BatchingOptions> = {}): BatchingOptions => ({ maxBatchSize: 16, maxQueueDelayUs: 500, maxQueueSize: 1_000, ...overrides });

describe('DynamicBatcher', () => {
  it('gives every request exactly its own rows, over random mixes of request sizes', async () => {
    const random = seedrandom('batching-property');
    for (let trial = 0; trial < 50; trial++) {
      const executions: BatchExecution[] = [];
      const calls: number[] = [];
      const maxBatchSize = 1 + Math.floor(random() * 32);
      const batcher = new DynamicBatcher(
        { model: 'm', version: 1 },
        (features, rows) => {
          calls.push(rows);
          return rowFunction(features, rows);
        },
        rowMatrixCodec(INPUT_WIDTH, OUTPUT_WIDTH),
        options({ maxBatchSize }),
        (execution) => executions.push(execution),
      );
      const requests = Array.from({ length: 1 + Math.floor(random() * 40) }, () => randomRows(random, 1 + Math.floor(random() * 8)));
      const answers = await Promise.all(requests.map((features) => batcher.predict(features, features.length / INPUT_WIDTH)));

      answers.forEach((answer, i) => {
        const request = requests[i] as Float32Array;
        expect(Array.from(answer)).toEqual(Array.from(rowFunction(request, request.length / INPUT_WIDTH)));
      });
      expect(executions.reduce((sum, e) => sum + e.requests, 0)).toBe(requests.length);
      // A batch never exceeds the limit unless a single request is larger than the limit on its own.
      for (const execution of executions) expect(execution.rows <= maxBatchSize || execution.requests === 1).toBe(true);
      // Requests that arrive together share model calls.
      if (requests.length > 1 && maxBatchSize >= 16) expect(calls.length).toBeLessThan(requests.length);
    }
  });

  it('runs a lone request once its delay has passed, not before', async () => {
    jest.useFakeTimers();
    try {
      const calls: number[] = [];
      const batcher = new DynamicBatcher({ model: 'm', version: 1 }, (f, rows) => (calls.push(rows), rowFunction(f, rows)), rowMatrixCodec(INPUT_WIDTH, OUTPUT_WIDTH), options({ maxQueueDelayUs: 5_000 }));
      const answer = batcher.predict(new Float32Array(INPUT_WIDTH), 1);
      jest.advanceTimersByTime(4);
      expect(calls).toEqual([]);
      jest.advanceTimersByTime(2);
      jest.runOnlyPendingTimers();
      await answer;
      expect(calls).toEqual([1]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('runs a full batch at once without waiting for the delay', async () => {
    const calls: number[] = [];
    const batcher = new DynamicBatcher({ model: 'm', version: 1 }, (f, rows) => (calls.push(rows), rowFunction(f, rows)), rowMatrixCodec(INPUT_WIDTH, OUTPUT_WIDTH), options({ maxBatchSize: 4, maxQueueDelayUs: 60_000_000 }));
    await Promise.all(Array.from({ length: 4 }, () => batcher.predict(new Float32Array(INPUT_WIDTH), 1)));
    expect(calls).toEqual([4]);
  });

  it('refuses requests beyond the queue limit with QueueFullError, saying when to retry, and serves the rest', async () => {
    const batcher = new DynamicBatcher({ model: 'iris', version: 3 }, rowFunction, rowMatrixCodec(INPUT_WIDTH, OUTPUT_WIDTH), options({ maxQueueSize: 2 }));
    const accepted = [batcher.predict(new Float32Array(INPUT_WIDTH), 1), batcher.predict(new Float32Array(INPUT_WIDTH), 1)];
    const refused = batcher.predict(new Float32Array(INPUT_WIDTH), 1);
    await expect(refused).rejects.toBeInstanceOf(QueueFullError);
    await expect(refused).rejects.toMatchObject({ retryAfterSeconds: 1, message: expect.stringContaining('iris') });
    await expect(Promise.all(accepted)).resolves.toHaveLength(2);
  });

  it('runs one asynchronous model call at a time and answers each caller its own rows when it settles', async () => {
    const random = seedrandom('async-batching');
    let running = 0;
    let overlapped = false;
    const batcher = new DynamicBatcher(
      { model: 'm', version: 1 },
      async (features: Float32Array, rows: number) => {
        overlapped ||= running > 0;
        running += 1;
        await new Promise((resolve) => setTimeout(resolve, 1));
        running -= 1;
        return rowFunction(features, rows);
      },
      rowMatrixCodec(INPUT_WIDTH, OUTPUT_WIDTH),
      options({ maxBatchSize: 8 }),
    );
    const requests = Array.from({ length: 30 }, () => randomRows(random, 1 + Math.floor(random() * 3)));
    const answers = await Promise.all(requests.map((features) => batcher.predict(features, features.length / INPUT_WIDTH)));
    expect(answers.map((answer) => Array.from(answer))).toEqual(requests.map((features) => Array.from(rowFunction(features, features.length / INPUT_WIDTH))));
    expect(overlapped).toBe(false);
  });

  it('fails only the batch whose model call throws; the next batch is served', async () => {
    let failNext = true;
    const batcher = new DynamicBatcher(
      { model: 'm', version: 1 },
      (f, rows) => {
        if (failNext) {
          failNext = false;
          throw new Error('device lost');
        }
        return rowFunction(f, rows);
      },
      rowMatrixCodec(INPUT_WIDTH, OUTPUT_WIDTH),
      options({ maxBatchSize: 2 }),
    );
    const first = [batcher.predict(new Float32Array(INPUT_WIDTH), 1), batcher.predict(new Float32Array(INPUT_WIDTH), 1)];
    const second = batcher.predict(Float32Array.of(1, 2, 3), 1);
    await expect(Promise.all(first)).rejects.toThrow('device lost');
    expect(Array.from(await second)).toEqual([4, 2]);
  });
});
