import { pipelineSpecSchema, type Run } from '@slipway/contracts';
import { Writable } from 'node:stream';
import { renderRunProgress, RunProgressDisplay, trainingProgress } from './run-progress';

const pipeline = pipelineSpecSchema.parse({
  name: 'iris-demo',
  model: { name: 'iris', spec: { layers: [{ type: 'dense', units: 8 }], epochs: 40 } },
  dataset: { uri: 'data/iris.csv', labelColumn: 'species' },
});

function runAt(epochsDone: number, epochMs: number): Run {
  return {
    id: 'run-1',
    pipelineName: 'iris-demo',
    status: 'running',
    createdAt: '2026-11-29T00:00:00.000Z',
    startedAt: '2026-11-29T00:00:00.000Z',
    finishedAt: null,
    error: null,
    pipeline,
    steps: [
      { name: 'prepare', status: 'succeeded', attempts: 1, startedAt: null, finishedAt: null, durationMs: 40, error: null },
      { name: 'train', status: 'running', attempts: 1, startedAt: null, finishedAt: null, durationMs: null, error: null },
      { name: 'register', status: 'pending', attempts: 0, startedAt: null, finishedAt: null, durationMs: null, error: null },
    ],
    epochs: Array.from({ length: epochsDone }, (_, i) => ({ epoch: i + 1, loss: 1 / (i + 1), accuracy: 0.5, durationMs: epochMs })),
    datasetDigest: null,
    backend: null,
    metrics: null,
    modelVersion: null,
    promotedTo: null,
  };
}

class Capture extends Writable {
  text = '';
  constructor(readonly isTTY: boolean) {
    super();
  }
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

describe('run progress', () => {
  it('draws a bar proportional to the epochs done and an ETA at the pace so far', () => {
    const line = trainingProgress(runAt(10, 50)) ?? '';
    expect(line).toContain('epoch 10/40');
    expect(line).toContain(`[${'█'.repeat(5)}${'░'.repeat(15)}] 25%`);
    expect(line).toContain('ETA 1.5 s');
  });

  it('shows the step tree with the training bar on the running step', () => {
    const lines = renderRunProgress(runAt(20, 10));
    expect(lines[0]).toBe('run run-1 (iris-demo) running');
    expect(lines[1]).toMatch(/^├─ ✔ prepare +succeeded +40 ms$/);
    expect(lines[2]).toContain('epoch 20/40');
    expect(lines[3]).toMatch(/^└─ · register +pending/);
  });

  it('redraws in place on a terminal', () => {
    const out = new Capture(true);
    const display = new RunProgressDisplay(out as unknown as NodeJS.WriteStream);
    display.update(runAt(1, 10));
    display.update(runAt(2, 10));
    expect(out.text).toContain('\x1b[4A\x1b[0J');
  });

  it('appends only meaningful changes to a log', () => {
    const out = new Capture(false);
    const display = new RunProgressDisplay(out as unknown as NodeJS.WriteStream);
    for (let epoch = 1; epoch <= 25; epoch++) display.update(runAt(epoch, 10));
    expect(out.text).not.toContain('\x1b[');
    expect(out.text.match(/^run run-1/gm)).toHaveLength(3);
  });
});
