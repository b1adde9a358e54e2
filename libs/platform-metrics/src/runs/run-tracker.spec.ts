import type { TrainingProgress } from '@slipway/contracts';
import { Registry } from 'prom-client';
import { RunTracker } from './run-tracker';

const progress = (epoch: number, loss: number): TrainingProgress => ({ epoch, epochs: 10, loss, accuracy: 1 - loss, valLoss: loss + 0.1, durationMs: 5, backend: 'cpu' });

describe('RunTracker', () => {
  it('exports step states and the latest training-curve point per run', async () => {
    const registry = new Registry();
    const tracker = new RunTracker(registry);
    tracker.stepChanged('r1', 'prepare', 'succeeded');
    tracker.trainingProgress('r1', 'train', progress(1, 0.9));
    tracker.trainingProgress('r1', 'train', progress(2, 0.5));
    tracker.stepChanged('r2', 'prepare', 'running');
    const text = await registry.metrics();
    expect(text).toContain('slipway_pipeline_steps{step="prepare",status="succeeded"} 1');
    expect(text).toContain('slipway_pipeline_steps{step="prepare",status="running"} 1');
    expect(text).toContain('slipway_pipeline_steps{step="train",status="running"} 1');
    expect(text).toContain('slipway_training_epoch{run="r1"} 2');
    expect(text).toContain('slipway_training_curve{run="r1",metric="loss"} 0.5');
    expect(text).toContain('slipway_training_curve{run="r1",metric="val_loss"} 0.6');
    expect(text).not.toContain('metric="val_accuracy"');
    expect(tracker.snapshot().map((run) => run.runId)).toEqual(['r2', 'r1']);
  });

  it('keeps per-run series for the newest runs only', async () => {
    const registry = new Registry();
    const tracker = new RunTracker(registry, 2);
    for (const run of ['a', 'b', 'c']) tracker.trainingProgress(run, 'train', progress(1, 0.5));
    const text = await registry.metrics();
    expect(text).not.toContain('run="a"');
    expect(text).toContain('slipway_training_epoch{run="c"} 1');
    expect(tracker.snapshot()).toHaveLength(2);
  });
});
