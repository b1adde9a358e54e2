import type { PipelineSpec, PipelineStep, TeamQuotas } from '@slipway/contracts';
import { z } from 'zod';
import type { RegistryDb, RunRow, RunStepRow } from '../database/registry-database.types';
import { PipelineSubmissionError } from './pipeline-errors';

const gpusSchema = z.object({ gpus: z.number().int().min(0) });

/**
 * Team quotas on trainings (how many queued or running at once, how many GPUs they request together) and a grid's
 * own parallelism limit. A training over a limit waits; it is admitted when a training of the team finishes.
 */
export class StepQuotas {
  constructor(
    private readonly db: RegistryDb,
    private readonly quotas: TeamQuotas,
  ) {}

  /** A training asking for more GPUs than its team may ever hold would wait forever: refuse it up front. */
  assertSatisfiable(team: string, step: PipelineStep, index: number): void {
    const maxGpus = this.quotas[team]?.maxGpus;
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
  async admission(run: RunRow, pipeline: PipelineSpec, row: RunStepRow): Promise<string | 'parallelism' | null> {
    const spec = pipeline.steps.find((step) => step.name === row.step);
    const maxParallelism = spec?.kind === 'train' ? spec.params.maxParallelism : undefined;
    if (maxParallelism !== undefined) {
      const active = await this.db
        .selectFrom('run_steps')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('run_id', '=', run.id)
        .where('step', '=', row.step)
        .where('queued_generation', 'is not', null)
        .where('status', 'in', ['pending', 'running'])
        .executeTakeFirstOrThrow();
      if (Number(active.count) >= maxParallelism) return 'parallelism';
    }
    const quota = this.quotas[run.team];
    if (quota === undefined) return null;
    const active = await this.db
      .selectFrom('run_steps as s')
      .innerJoin('runs as r', 'r.id', 's.run_id')
      .select('s.params_json')
      .where('r.team', '=', run.team)
      .where('s.kind', '=', 'train')
      .where('s.queued_generation', 'is not', null)
      .where('s.status', 'in', ['pending', 'running'])
      .execute();
    if (quota.maxConcurrentTrainings !== undefined && active.length >= quota.maxConcurrentTrainings) {
      return `team "${run.team}" has ${active.length} of ${quota.maxConcurrentTrainings} concurrent trainings queued or running`;
    }
    if (quota.maxGpus !== undefined) {
      const used = active.reduce((sum, step) => sum + gpusSchema.parse(JSON.parse(step.params_json)).gpus, 0);
      const wanted = gpusSchema.parse(JSON.parse(row.params_json)).gpus;
      if (used + wanted > quota.maxGpus) return `team "${run.team}" uses ${used} of ${quota.maxGpus} GPUs; this training requests ${wanted}`;
    }
    return null;
  }

  /** Unfinished runs of the team with a training waiting for quota, oldest first. */
  async runsWaitingFor(team: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('run_steps as s')
      .innerJoin('runs as r', 'r.id', 's.run_id')
      .select('r.id')
      .distinct()
      .where('r.team', '=', team)
      .where('r.status', 'in', ['queued', 'running'])
      .where('s.status', '=', 'waiting-for-quota')
      .orderBy('r.id')
      .execute();
    return rows.map((row) => row.id);
  }
}
