import { quotaOfTeam, type PipelineStep, type TeamQuota, type TeamQuotas } from '@slipway/contracts';
import type { RunRecord, StepRecordOf } from '../runs/run-entities';
import type { RunService } from '../runs/run.service';
import { PipelineSubmissionError } from './pipeline-errors';
import { pipelineStepOf } from './pipeline-steps';

/**
 * Team quotas on trainings (how many queued or running at once, how many GPUs they request together) and a grid's
 * own parallelism limit. A training over a limit waits; it is admitted when a training of the team finishes.
 */
export class StepQuotas {
  constructor(
    private readonly runs: Pick<RunService, 'activeTrainings' | 'runsWaitingForQuota'>,
    private readonly quotas: TeamQuotas,
  ) {}

  /** A run of a team without a quota, where quotas are set, would dodge them: refuse it up front. */
  assertTeamListed(team: string): void {
    if (quotaOfTeam(this.quotas, team) !== 'unlisted') return;
    const listed = Object.keys(this.quotas).sort().join(', ');
    throw new PipelineSubmissionError('pipeline.team', `team "${team}" has no quota in SLIPWAY_TEAM_QUOTAS (listed: ${listed}; a "*" entry would give every other team one)`);
  }

  /** A training asking for more GPUs than its team may ever hold would wait forever: refuse it up front. */
  assertSatisfiable(team: string, step: PipelineStep, index: number): void {
    const maxGpus = this.quotaOf(team)?.maxGpus;
    if (step.kind !== 'train' || maxGpus === undefined || step.params.gpus <= maxGpus) return;
    throw new PipelineSubmissionError(
      `pipeline.steps.${index}.params.gpus`,
      `step "${step.name}" requests ${step.params.gpus} GPUs per training, more than team "${team}"'s quota of ${maxGpus}`,
    );
  }

  /**
   * null when the training may be queued now; `parallelism` when its grid is at its limit (it stays pending);
   * otherwise the quota it waits for, as a sentence.
   */
  async admission(run: RunRecord, training: StepRecordOf<'train'>): Promise<string | 'parallelism' | null> {
    const { maxParallelism } = pipelineStepOf(run.pipeline, training).params;
    if (maxParallelism !== undefined) {
      const active = run.steps.filter((step) => step.step === training.step && step.queuedGeneration !== null && (step.status === 'pending' || step.status === 'running'));
      if (active.length >= maxParallelism) return 'parallelism';
    }
    const quota = this.quotaOf(run.team);
    if (quota === undefined) return null;
    const active = await this.runs.activeTrainings(run.team);
    if (quota.maxConcurrentTrainings !== undefined && active.length >= quota.maxConcurrentTrainings) {
      return `team "${run.team}" has ${active.length} of ${quota.maxConcurrentTrainings} concurrent trainings queued or running`;
    }
    if (quota.maxGpus !== undefined) {
      const used = active.reduce((sum, step) => sum + step.gpus, 0);
      const wanted = training.params.gpus;
      if (used + wanted > quota.maxGpus) return `team "${run.team}" uses ${used} of ${quota.maxGpus} GPUs; this training requests ${wanted}`;
    }
    return null;
  }

  /** Unfinished runs of the team with a training waiting for quota, oldest first. */
  runsWaitingFor(team: string): Promise<string[]> {
    return this.runs.runsWaitingForQuota(team);
  }

  private quotaOf(team: string): TeamQuota | undefined {
    const quota = quotaOfTeam(this.quotas, team);
    return quota === 'unlisted' ? undefined : quota;
  }
}
