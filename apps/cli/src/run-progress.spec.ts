import type { EvaluationMetrics, PipelineSpecInput, Run, StepProgress } from '@slipway/contracts';
import { Writable } from 'node:stream';
import { STEP_MARK } from './run-format';
import { renderRunProgress, RunProgressDisplay, trainingProgress } from './run-progress';
import { gridPipeline, pendingRun, withSteps } from './testing/run-fixture';

const GRID_PIPELINE = gridPipeline(
  { learningRate: [0.01, 0.03], 'layers.0.units': [8, 16] },
  {
    units: 16,
    maxParallelism: 2,
    then: [
      { name: 'register', kind: 'register', inputs: { model: 'evaluate' }, params: { model: 'iris' }, when: { metric: 'testAccuracy', op: '>=', value: 0.9 } },
      { name: 'promote', kind: 'promote', inputs: { version: 'register' }, params: { alias: 'staging' } },
    ],
  },
);

const SHORTHAND_PIPELINE: PipelineSpecInput = {
  name: 'iris-demo',
  model: { name: 'iris', spec: { layers: [{ type: 'dense', units: 8 }], epochs: 40 } },
  dataset: { uri: 'data/iris.csv', labelColumn: 'species' },
};

const progress = (epoch: number, epochs = 30): StepProgress => ({ epoch, epochs, loss: 1 / epoch, accuracy: 0.5 + epoch / (4 * epochs), etaMs: (epochs - epoch) * 100 });
const metrics = (testAccuracy: number): EvaluationMetrics => ({ validation: null, test: { task: 'classification', rows: 30, loss: 1 - testAccuracy, accuracy: testAccuracy } });

/** Half-way through the grid: prepare came from the cache, two trainings run, one finished, one waits for its turn. */
function gridRunMidway(): Run {
  return withSteps(pendingRun(GRID_PIPELINE), {
    prepare: { status: 'cached', durationMs: 3, cache: { key: 'sha256:p', cachedFrom: { runId: 'run-0', step: 'prepare' } } },
    // A finished training keeps its last progress; only running ones get a bar.
    'train[0]': { status: 'succeeded', attempts: 1, durationMs: 2_400, metrics: metrics(0.9333), progress: progress(30) },
    'train[1]': { status: 'running', attempts: 1, progress: progress(12) },
    'train[2]': { status: 'running', attempts: 1, progress: progress(4) },
  });
}

/** The line of the row named, found by its name surrounded by spaces. */
function rowOf(lines: string[], name: string): { line: string; index: number } {
  const index = lines.findIndex((line) => line.includes(` ${name} `) || line.endsWith(` ${name}`));
  if (index < 0) throw new Error(`no row for ${name} in:\n${lines.join('\n')}`);
  return { line: lines[index] ?? '', index };
}

class Capture extends Writable {
  text = '';
  constructor(
    readonly isTTY: boolean,
    readonly columns?: number,
  ) {
    super();
  }
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

describe('trainingProgress', () => {
  it('draws a bar proportional to the epochs done, the latest loss and accuracy, and the ETA the registry estimated', () => {
    const line = trainingProgress({ epoch: 10, epochs: 40, loss: 0.41234, accuracy: 0.8667, etaMs: 1_500 });
    expect(line).toContain('epoch 10/40');
    expect(line).toContain(`[${'█'.repeat(5)}${'░'.repeat(15)}] 25%`);
    expect(line).toContain('loss 0.4123');
    expect(line).toContain('acc 0.867');
    expect(line).toContain('ETA 1.5 s');
  });

  it('drops the ETA on the last epoch', () => {
    expect(trainingProgress({ epoch: 40, epochs: 40, loss: 0.1, accuracy: 0.9, etaMs: 0 })).not.toContain('ETA');
  });
});

describe('renderRunProgress', () => {
  it('lists every row of the run in its order, headed by the run', () => {
    const run = gridRunMidway();
    const lines = renderRunProgress(run);
    expect(lines[0]).toBe('run run-1 (iris-grid) running');
    const rowIndexes = run.steps.map((step) => rowOf(lines, step.name).index);
    expect(rowIndexes).toEqual([...rowIndexes].sort((a, b) => a - b));
    expect(lines.at(-1)).toMatch(/^└─ · promote +pending$/);
  });

  it("shows a grid's trainings under one group line, each with the grid values it tries", () => {
    const run = gridRunMidway();
    const lines = renderRunProgress(run);
    const group = rowOf(lines, 'train');
    expect(group.line).toMatch(/^├─ ▸ train +running +grid of 4, 2 at a time: 1 succeeded, 2 running, 1 pending$/);
    for (const step of run.steps.filter((row) => row.step === 'train')) {
      const { line, index } = rowOf(lines, step.name);
      expect(index).toBeGreaterThan(group.index);
      expect(line).toMatch(/^│ {2}[├└]─ /);
      // In the order the pipeline lists the grid's fields.
      expect(line).toContain(`learningRate=${step.grid?.['learningRate']} layers.0.units=${step.grid?.['layers.0.units']}`);
    }
  });

  it('draws one progress bar per running training, right under its row, from its own progress', () => {
    const run = gridRunMidway();
    const lines = renderRunProgress(run);
    const running = run.steps.filter((step) => step.status === 'running');
    expect(lines.filter((line) => line.includes('█') || line.includes('░'))).toHaveLength(running.length);
    for (const step of running) {
      const { index } = rowOf(lines, step.name);
      expect(lines[index + 1]).toContain(trainingProgress(step.progress as StepProgress));
      expect(lines[index + 1]).toContain(`epoch ${step.progress?.epoch}/30`);
    }
  });

  it('says where a cached step came from, and the test accuracy of a finished training', () => {
    const lines = renderRunProgress(gridRunMidway());
    expect(rowOf(lines, 'prepare').line).toMatch(new RegExp(`${STEP_MARK.cached} prepare +cached .*cached from run-0/prepare`));
    expect(rowOf(lines, 'train[0]').line).toMatch(/succeeded .*2\.4 s .*test acc 0\.9333/);
  });

  it('gives the reason of a skipped step and of a training waiting for quota', () => {
    const run = withSteps(pendingRun(GRID_PIPELINE), {
      'train[3]': { status: 'waiting-for-quota', error: 'team default uses 4 of 4 GPUs' },
      promote: { status: 'skipped', error: 'testAccuracy 0.83 < 0.9' },
    });
    const lines = renderRunProgress(run);
    expect(rowOf(lines, 'train[3]').line).toMatch(/waiting-for-quota .*team default uses 4 of 4 GPUs/);
    expect(rowOf(lines, 'promote').line).toMatch(new RegExp(`${STEP_MARK.skipped} promote +skipped .*testAccuracy 0\\.83 < 0\\.9`));
  });

  it('starts the status column at the same offset on every row, grid rows included', () => {
    const run = withSteps(gridRunMidway(), { 'train[3]': { status: 'waiting-for-quota', error: 'quota' } });
    const lines = renderRunProgress(run);
    const offsets = run.steps.map((step) => {
      const { line } = rowOf(lines, step.name);
      return line.indexOf(step.status, line.indexOf(` ${step.name}`) + step.name.length + 1);
    });
    expect(new Set(offsets).size).toBe(1);
  });

  it('keeps a single training inline in the tree, its bar under it', () => {
    const run = withSteps(pendingRun(SHORTHAND_PIPELINE), { prepare: { status: 'succeeded', durationMs: 40 }, train: { status: 'running', progress: progress(20, 40) } });
    const lines = renderRunProgress(run);
    expect(lines[1]).toMatch(/^├─ ✔ prepare +succeeded +40 ms$/);
    expect(lines[2]).toMatch(/^├─ ▸ train +running$/);
    expect(lines[3]).toMatch(/^│ +epoch 20\/40 \[/);
    expect(lines[4]).toMatch(/^├─ · register +pending$/);
  });
});

describe('RunProgressDisplay', () => {
  const atEpoch = (epoch: number) => withSteps(pendingRun(SHORTHAND_PIPELINE), { prepare: { status: 'succeeded' }, train: { status: 'running', progress: progress(epoch, 40) } });

  it('redraws in place on a terminal, moving up over what it drew before', () => {
    const out = new Capture(true);
    const display = new RunProgressDisplay(out as unknown as NodeJS.WriteStream);
    display.update(atEpoch(1));
    display.update(atEpoch(2));
    expect(out.text).toContain(`\x1b[${renderRunProgress(atEpoch(1)).length}A\x1b[0J`);
  });

  it('cuts lines to the width of the terminal, so none wraps and breaks the redraw', () => {
    const out = new Capture(true, 30);
    new RunProgressDisplay(out as unknown as NodeJS.WriteStream).update(gridRunMidway());
    const lines = out.text.split('\n').filter((line) => line !== '');
    expect(lines).toHaveLength(renderRunProgress(gridRunMidway()).length);
    for (const line of lines) expect(line.length).toBeLessThan(30);
  });

  it('appends to a log only when a status changes or a training is ten more epochs along', () => {
    const out = new Capture(false);
    const display = new RunProgressDisplay(out as unknown as NodeJS.WriteStream);
    for (let epoch = 1; epoch <= 25; epoch++) display.update(atEpoch(epoch));
    expect(out.text).not.toContain('\x1b[');
    expect(out.text.match(/^run run-1/gm)).toHaveLength(3);
  });

  it('counts the epochs of each training of a grid separately', () => {
    const out = new Capture(false);
    const display = new RunProgressDisplay(out as unknown as NodeJS.WriteStream);
    const at = (first: number, second: number) =>
      withSteps(pendingRun(GRID_PIPELINE), { 'train[0]': { status: 'running', progress: progress(first) }, 'train[1]': { status: 'running', progress: progress(second) } });
    display.update(at(1, 1));
    display.update(at(11, 5)); // the first is ten epochs along
    display.update(at(12, 14));
    display.update(at(12, 15)); // the second is ten epochs past where the last log line saw it
    expect(out.text.match(/^run run-1/gm)).toHaveLength(3);
  });
});
