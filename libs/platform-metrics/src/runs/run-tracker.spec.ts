import type { StepStatus, StepStatusChangedEvent } from '@slipway/contracts';
import { Registry } from 'prom-client';
import { RunTracker } from './run-tracker';

const at = (second: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, second)).toISOString();

function stepEvent(runId: string, step: string, status: StepStatus, second: number, epoch?: { epoch: number; loss: number }): StepStatusChangedEvent {
  return {
    runId,
    pipelineName: 'iris',
    step,
    pipelineStep: step.replace(/\[\d+\]$/, ''),
    kind: step.startsWith('train') ? 'train' : 'prepare',
    status,
    at: at(second),
    ...(epoch === undefined ? {} : { epoch: { epoch: epoch.epoch, epochs: 10, loss: epoch.loss, accuracy: 1 - epoch.loss, valLoss: epoch.loss + 0.1, durationMs: 5 } }),
  };
}

describe('RunTracker', () => {
  it('exports step states and the latest training-curve point per run', async () => {
    const registry = new Registry();
    const tracker = new RunTracker(registry);
    tracker.stepStatusChanged(stepEvent('r1', 'prepare', 'succeeded', 1));
    tracker.stepStatusChanged(stepEvent('r1', 'train', 'running', 2, { epoch: 1, loss: 0.9 }));
    tracker.stepStatusChanged(stepEvent('r1', 'train', 'running', 3, { epoch: 2, loss: 0.5 }));
    tracker.stepStatusChanged(stepEvent('r2', 'prepare', 'running', 4));
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

  it('shows what the registry recorded: cached and skipped steps, and a step it failed', async () => {
    const registry = new Registry();
    const tracker = new RunTracker(registry);
    tracker.stepStatusChanged(stepEvent('r1', 'prepare', 'cached', 1));
    tracker.stepStatusChanged(stepEvent('r1', 'train', 'failed', 2));
    tracker.stepStatusChanged(stepEvent('r1', 'promote', 'skipped', 3));
    expect(tracker.snapshot()[0]?.steps).toEqual({ prepare: 'cached', train: 'failed', promote: 'skipped' });
    expect(await registry.metrics()).toContain('slipway_pipeline_steps{step="train",status="failed"} 1');
  });

  it('ignores an event older than what the step last reported, and a running one at the instant it finished', () => {
    const tracker = new RunTracker(new Registry());
    tracker.stepStatusChanged(stepEvent('r1', 'train', 'succeeded', 5));
    tracker.stepStatusChanged(stepEvent('r1', 'train', 'running', 4, { epoch: 3, loss: 0.2 }));
    tracker.stepStatusChanged(stepEvent('r1', 'train', 'running', 5, { epoch: 4, loss: 0.1 }));
    expect(tracker.snapshot()[0]).toEqual({ runId: 'r1', steps: { train: 'succeeded' }, latest: null });
  });

  it('keeps per-run series for the newest runs only', async () => {
    const registry = new Registry();
    const tracker = new RunTracker(registry, 2);
    for (const [i, run] of ['a', 'b', 'c'].entries()) tracker.stepStatusChanged(stepEvent(run, 'train', 'running', i, { epoch: 1, loss: 0.5 }));
    const text = await registry.metrics();
    expect(text).not.toContain('run="a"');
    expect(text).toContain('slipway_training_epoch{run="c"} 1');
    expect(tracker.snapshot()).toHaveLength(2);
  });
});
