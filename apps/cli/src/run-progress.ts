import type { Run } from '@slipway/contracts';
import { formatDuration, STEP_MARK } from './run-format';

const BAR_WIDTH = 20;

/** Training progress of a run: epochs done, bar, latest loss/accuracy and the time left at the pace so far. */
export function trainingProgress(run: Run): string | undefined {
  const last = run.epochs.at(-1);
  if (!last) return undefined;
  const total = run.pipeline.model.spec.epochs;
  const done = Math.min(last.epoch, total);
  const filled = Math.round((done / total) * BAR_WIDTH);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
  const meanEpochMs = run.epochs.reduce((sum, epoch) => sum + epoch.durationMs, 0) / run.epochs.length;
  const eta = done < total ? `  ETA ${formatDuration(meanEpochMs * (total - done))}` : '';
  return `epoch ${done}/${total} [${bar}] ${Math.round((done / total) * 100)}%  loss ${last.loss.toFixed(4)}  acc ${last.accuracy.toFixed(3)}${eta}`;
}

/** The step tree of a run, the training step carrying its progress bar. */
export function renderRunProgress(run: Run): string[] {
  const lines = [`run ${run.id} (${run.pipelineName}) ${run.status}`];
  run.steps.forEach((step, index) => {
    const branch = index === run.steps.length - 1 ? '└─' : '├─';
    const detail = step.name === 'train' && step.status === 'running' ? trainingProgress(run) : step.durationMs !== null ? formatDuration(step.durationMs) : undefined;
    const error = step.error ? `  ${step.error}` : '';
    lines.push(`${branch} ${STEP_MARK[step.status]} ${step.name.padEnd(9)} ${step.status.padEnd(10)}${detail ? ` ${detail}` : ''}${error}`);
  });
  return lines;
}

/**
 * Shows a run's progress: redrawn in place on a terminal, appended as plain lines when the output is a file or
 * a pipe (only when the step states change or ten more epochs are done, so logs stay short).
 */
export class RunProgressDisplay {
  private drawnLines = 0;
  private lastSteps = '';
  private lastEpochLogged = 0;

  constructor(private readonly out: NodeJS.WriteStream = process.stdout) {}

  update(run: Run): void {
    const lines = renderRunProgress(run);
    if (this.out.isTTY) {
      const clear = this.drawnLines > 0 ? `\x1b[${this.drawnLines}A\x1b[0J` : '';
      this.out.write(`${clear}${lines.join('\n')}\n`);
      this.drawnLines = lines.length;
      return;
    }
    const steps = JSON.stringify(run.steps.map((step) => step.status));
    const epoch = run.epochs.at(-1)?.epoch ?? 0;
    if (steps !== this.lastSteps || epoch >= this.lastEpochLogged + 10) {
      this.lastSteps = steps;
      this.lastEpochLogged = epoch;
      this.out.write(`${lines.join('\n')}\n`);
    }
  }
}
