import { groupStatus, type Run, type RunStep, type StepProgress } from '@slipway/contracts';
import { formatDuration, formatGridSummary, formatStepRow, groupSteps, paddedGridValues, stepNameWidth, stepNotes } from './run-format';

const BAR_WIDTH = 20;
/** How far right of a group line its grid rows start: the width of `│  `. */
const CHILD_INDENT = 3;

/** Where a training is: epochs done, bar, latest loss/accuracy and the time left at the pace so far. */
export function trainingProgress(progress: StepProgress): string {
  const { epochs } = progress;
  const done = Math.min(progress.epoch, epochs);
  const filled = Math.round((done / epochs) * BAR_WIDTH);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
  const eta = done < epochs ? `  ETA ${formatDuration(progress.etaMs)}` : '';
  const accuracy = progress.accuracy === undefined ? '' : `  acc ${progress.accuracy.toFixed(3)}`;
  return `epoch ${done}/${epochs} [${bar}] ${Math.round((done / epochs) * 100)}%  loss ${progress.loss.toFixed(4)}${accuracy}${eta}`;
}

/** The progress bar of a running training, on its own line under the row's name. */
function progressLines(step: RunStep, indent: string): string[] {
  return step.kind === 'train' && step.status === 'running' && step.progress ? [`${indent}  ${trainingProgress(step.progress)}`] : [];
}

/**
 * The step tree of a run: one row per step in the run's order, a grid's trainings under their step with the
 * values each tries, and a progress bar under every running training.
 */
export function renderRunProgress(run: Run): string[] {
  const resumed = run.resumes > 0 ? `, resumed ${run.resumes}×` : '';
  const lines = [`run ${run.id} (${run.pipelineName}) ${run.status}${resumed}`];
  const groups = groupSteps(run.steps);
  const nameWidth = stepNameWidth(groups, CHILD_INDENT);
  groups.forEach((group, g) => {
    const lastGroup = g === groups.length - 1;
    const branch = lastGroup ? '└─ ' : '├─ ';
    const under = lastGroup ? '   ' : '│  ';
    if (!group.isGrid) {
      for (const row of group.rows) lines.push(`${branch}${formatStepRow(row.name, row.status, nameWidth, stepNotes(row))}`, ...progressLines(row, under));
      return;
    }
    lines.push(`${branch}${formatStepRow(group.step, groupStatus(group.rows.map((row) => row.status)), nameWidth, [formatGridSummary(group, run.pipeline)])}`);
    const gridValues = paddedGridValues(group, run.pipeline);
    group.rows.forEach((row, r) => {
      const lastRow = r === group.rows.length - 1;
      lines.push(
        `${under}${lastRow ? '└─ ' : '├─ '}${formatStepRow(row.name, row.status, nameWidth - CHILD_INDENT, [gridValues(row), ...stepNotes(row)])}`,
        ...progressLines(row, `${under}${lastRow ? '   ' : '│  '}`),
      );
    });
  });
  return lines;
}

/**
 * Shows a run's progress: redrawn in place on a terminal, appended as plain lines when the output is a file or
 * a pipe (only when the step states change or a training is ten more epochs along, so logs stay short).
 */
export class RunProgressDisplay {
  private drawnLines = 0;
  private lastStatuses = '';
  private readonly epochLogged = new Map<string, number>();

  constructor(private readonly out: NodeJS.WriteStream = process.stdout) {}

  update(run: Run): void {
    const lines = renderRunProgress(run);
    if (this.out.isTTY) {
      const clear = this.drawnLines > 0 ? `\x1b[${this.drawnLines}A\x1b[0J` : '';
      this.out.write(`${clear}${lines.map((line) => this.fitTerminal(line)).join('\n')}\n`);
      this.drawnLines = lines.length;
      return;
    }
    const statuses = JSON.stringify(run.steps.map((step) => step.status));
    const advanced = run.steps.some((step) => step.progress && step.progress.epoch >= (this.epochLogged.get(step.name) ?? 0) + 10);
    if (statuses !== this.lastStatuses || advanced) {
      this.lastStatuses = statuses;
      for (const step of run.steps) if (step.progress) this.epochLogged.set(step.name, step.progress.epoch);
      this.out.write(`${lines.join('\n')}\n`);
    }
  }

  /** A line the terminal would wrap would break the redraw, which moves up one row per line: cut it instead. */
  private fitTerminal(line: string): string {
    const columns = this.out.columns;
    return columns && line.length >= columns ? `${line.slice(0, Math.max(columns - 2, 0))}…` : line;
  }
}
