import type { EvaluationMetrics } from '@slipway/contracts';
import { formatDuration, formatRunDetails, formatSteps, formatTable, STEP_MARK } from './run-format';
import { gridPipeline, pendingRun, withSteps } from './testing/run-fixture';

const GRID_PIPELINE = gridPipeline({ learningRate: [0.01, 0.1], batchSize: [8] }, { name: 'grid', units: 4, epochs: 20 });
const metrics = (testAccuracy: number): EvaluationMetrics => ({ validation: null, test: { task: 'classification', rows: 30, loss: 0.3, accuracy: testAccuracy } });

describe('formatTable', () => {
  const header = ['RUN', 'PIPELINE', 'STATUS'];
  const rows = [
    ['run-a-very-long-identifier', 'iris', 'succeeded'],
    ['run-2', 'penguins-with-a-long-name', 'failed'],
  ];

  /** Where each cell starts in its line, found by searching after the previous cell. */
  function cellOffsets(line: string, cells: string[]): number[] {
    let from = 0;
    return cells.map((cell) => {
      const at = line.indexOf(cell, from);
      from = at + cell.length;
      return at;
    });
  }

  it('puts the header first and one line per row', () => {
    const lines = formatTable(header, rows).split('\n');
    expect(lines).toHaveLength(rows.length + 1);
    expect(cellOffsets(lines[0] ?? '', header).every((offset) => offset >= 0)).toBe(true);
  });

  it('starts every column at the same offset in every line, whichever cell is widest', () => {
    const lines = formatTable(header, rows).split('\n');
    const offsets = [header, ...rows].map((cells, index) => cellOffsets(lines[index] ?? '', cells));
    for (const lineOffsets of offsets) expect(lineOffsets).toEqual(offsets[0]);
  });

  it('separates columns by at least one space even when a cell fills its column', () => {
    const lines = formatTable(header, rows).split('\n');
    [header, ...rows].forEach((cells, index) => {
      const offsets = cellOffsets(lines[index] ?? '', cells);
      cells.slice(0, -1).forEach((cell, column) => expect(offsets[column + 1]).toBeGreaterThan((offsets[column] ?? 0) + cell.length));
    });
  });

  it('leaves no trailing spaces', () => {
    for (const line of formatTable(header, [['x', 'y', '']]).split('\n')) expect(line).toBe(line.trimEnd());
  });

  it('prints only the header when there are no rows', () => {
    expect(formatTable(header, []).split('\n')).toHaveLength(1);
  });
});

describe('formatDuration', () => {
  it('shows a missing duration as a placeholder without digits', () => {
    const text = formatDuration(null);
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toMatch(/\d/);
  });

  it('shows sub-second durations in whole milliseconds', () => {
    expect(formatDuration(0)).toBe('0 ms');
    expect(formatDuration(250.4)).toBe('250 ms');
    expect(formatDuration(999)).toBe('999 ms');
  });

  it('shows longer durations in seconds with one decimal', () => {
    expect(formatDuration(1_000)).toBe('1.0 s');
    expect(formatDuration(1_540)).toBe('1.5 s');
    expect(formatDuration(75_000)).toBe('75.0 s');
  });

  it('never shows a duration that rounds up to a second as "1000 ms"', () => {
    expect(formatDuration(999.7)).toBe('1.0 s');
  });
});

describe('formatSteps', () => {
  it('lists a grid\'s trainings indented under their step, each with its values, a running one with its epoch', () => {
    const run = withSteps(pendingRun(GRID_PIPELINE), {
      prepare: { status: 'succeeded', durationMs: 40 },
      'train[0]': { status: 'succeeded', durationMs: 1_200, metrics: metrics(0.9667) },
      'train[1]': { status: 'running', progress: { epoch: 7, epochs: 20, loss: 0.5, accuracy: 0.8, etaMs: 900 } },
    });
    const lines = formatSteps(run);
    expect(lines).toHaveLength(run.steps.length + 1);
    const group = lines.findIndex((line) => /^ {2}\S+ train +running +grid of 2: 1 succeeded, 1 running$/.test(line));
    expect(group).toBeGreaterThan(-1);
    run.steps
      .filter((step) => step.step === 'train')
      .forEach((step, i) => {
        const line = lines[group + 1 + i] ?? '';
        expect(line.startsWith(`    ${STEP_MARK[step.status]} ${step.name} `)).toBe(true);
        expect(line).toContain(`learningRate=${step.grid?.['learningRate']} batchSize=8`);
      });
    expect(lines[group + 1]).toMatch(/1\.2 s +test acc 0\.9667$/);
    expect(lines[group + 2]).toContain('epoch 7/20');
    expect(lines.join('\n')).not.toContain('█');
  });

  it('says where a cached step came from and why a step did not run', () => {
    const run = withSteps(pendingRun(GRID_PIPELINE), {
      prepare: { status: 'cached', cache: { key: 'sha256:k', cachedFrom: { runId: 'run-7', step: 'prepare' } } },
      evaluate: { status: 'skipped', error: 'every training failed' },
    });
    const lines = formatSteps(run);
    expect(lines.find((line) => line.includes(' prepare '))).toMatch(/cached +cached from run-7\/prepare$/);
    expect(lines.find((line) => line.includes(' evaluate '))).toMatch(/skipped +— every training failed$/);
  });

  it('drops the error of an attempt that a retry got past', () => {
    const run = withSteps(pendingRun(GRID_PIPELINE), { prepare: { status: 'succeeded', attempts: 2, durationMs: 10, error: 'ECONNRESET' } });
    const line = formatSteps(run).find((row) => row.includes(' prepare ')) ?? '';
    expect(line).toContain('attempt 2');
    expect(line).not.toContain('ECONNRESET');
  });
});

describe('formatRunDetails', () => {
  it('names the team, how often the run was resumed, its steps and why it failed', () => {
    const run = { ...withSteps(pendingRun(GRID_PIPELINE), { prepare: { status: 'failed', error: 'data/iris.csv: ENOENT' } }), status: 'failed' as const, resumes: 2, error: 'step prepare failed' };
    const text = formatRunDetails(run);
    expect(text.split('\n')[0]).toBe('run run-1 (grid): failed');
    expect(text).toMatch(/team default, created .*, resumed 2×/);
    for (const line of formatSteps(run)) expect(text).toContain(line);
    expect(text).toContain('error: step prepare failed');
  });
});
