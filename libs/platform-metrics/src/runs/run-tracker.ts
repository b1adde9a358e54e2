import { FINISHED_STEP_STATUSES, type EpochMetrics, type StepStatus, type StepStatusChangedEvent } from '@slipway/contracts';
import { Gauge, type Registry } from 'prom-client';

/** A training's latest epoch, with how many it will train. */
export type TrainingEpoch = EpochMetrics & { epochs: number };

interface TrackedStep {
  status: StepStatus;
  at: string;
}

interface TrackedRun {
  steps: Map<string, TrackedStep>;
  latest?: TrainingEpoch;
}

const CURVE_METRICS = [
  ['loss', (p: TrainingEpoch) => p.loss],
  ['accuracy', (p: TrainingEpoch) => p.accuracy],
  ['val_loss', (p: TrainingEpoch) => p.valLoss],
  ['val_accuracy', (p: TrainingEpoch) => p.valAccuracy],
] as const;

/**
 * Step states and the latest training-curve point of recent runs, from the registry's step-status events. Only the
 * newest `keepRuns` runs keep per-run series, so the run label cannot grow without bound.
 */
export class RunTracker {
  private readonly runs = new Map<string, TrackedRun>();
  private readonly stepsGauge: Gauge<'step' | 'status'>;
  private readonly epochGauge: Gauge<'run'>;
  private readonly curveGauge: Gauge<'run' | 'metric'>;

  constructor(
    registry: Registry,
    private readonly keepRuns = 20,
  ) {
    const registers = [registry];
    this.stepsGauge = new Gauge({ name: 'slipway_pipeline_steps', help: 'Steps of recent runs by current status', labelNames: ['step', 'status'], registers });
    this.epochGauge = new Gauge({ name: 'slipway_training_epoch', help: 'Latest epoch reported by the training step of a recent run', labelNames: ['run'], registers });
    this.curveGauge = new Gauge({ name: 'slipway_training_curve', help: 'Latest training-curve value of a recent run (loss, accuracy, val_loss, val_accuracy)', labelNames: ['run', 'metric'], registers });
  }

  /**
   * Events are consumed concurrently, so they may arrive out of order: one older than what the step last reported
   * changes nothing, and at the same instant a finished status outranks a running one.
   */
  stepStatusChanged(event: StepStatusChangedEvent): void {
    const run = this.runOf(event.runId);
    const seen = run.steps.get(event.step);
    if (seen !== undefined && isStale(event, seen)) return;
    run.steps.set(event.step, { status: event.status, at: event.at });
    if (event.epoch !== undefined) {
      run.latest = event.epoch;
      this.epochGauge.set({ run: event.runId }, event.epoch.epoch);
      for (const [metric, read] of CURVE_METRICS) {
        const value = read(event.epoch);
        if (value !== undefined) this.curveGauge.set({ run: event.runId, metric }, value);
      }
    }
    this.refreshSteps();
  }

  /** Newest first. */
  snapshot(): { runId: string; steps: Record<string, StepStatus>; latest: TrainingEpoch | null }[] {
    return [...this.runs]
      .reverse()
      .map(([runId, run]) => ({ runId, steps: Object.fromEntries([...run.steps].map(([step, { status }]) => [step, status])), latest: run.latest ?? null }));
  }

  private runOf(runId: string): TrackedRun {
    let run = this.runs.get(runId);
    if (!run) {
      run = { steps: new Map() };
      this.runs.set(runId, run);
      while (this.runs.size > this.keepRuns) {
        const oldest = this.runs.keys().next().value as string;
        this.runs.delete(oldest);
        this.epochGauge.remove({ run: oldest });
        for (const [metric] of CURVE_METRICS) this.curveGauge.remove({ run: oldest, metric });
      }
    }
    return run;
  }

  private refreshSteps(): void {
    const counts = new Map<string, number>();
    for (const run of this.runs.values()) {
      for (const [step, { status }] of run.steps) counts.set(`${step}\u0000${status}`, (counts.get(`${step}\u0000${status}`) ?? 0) + 1);
    }
    this.stepsGauge.reset();
    for (const [key, count] of counts) {
      const [step, status] = key.split('\u0000') as [string, string];
      this.stepsGauge.set({ step, status }, count);
    }
  }
}

function isStale(event: StepStatusChangedEvent, seen: TrackedStep): boolean {
  if (event.at !== seen.at) return event.at < seen.at;
  return FINISHED_STEP_STATUSES.includes(seen.status) && !FINISHED_STEP_STATUSES.includes(event.status);
}
