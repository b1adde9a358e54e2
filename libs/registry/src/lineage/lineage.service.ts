import { recordedPipelineSchema, type DatasetLineage, type LineageStep, type ModelLineage, type ModelVersion } from '@slipway/contracts';
import type { RegistryDb, RunStepRow } from '../database/registry-database.types';
import type { ModelRegistryService } from '../models/model-registry.service';
import { STEP_OUTPUT_SCHEMAS } from '../pipelines/step-outputs';
import { toRunSummary } from '../runs/run-record';

/** Where a version came from (dataset → prepare → train → version → aliases), and what came from a dataset. */
export class LineageService {
  constructor(
    private readonly db: RegistryDb,
    private readonly registry: ModelRegistryService,
  ) {}

  /** @throws ModelNotFoundError, ModelVersionNotFoundError */
  async forVersion(model: string, version: number): Promise<ModelLineage> {
    return this.lineageOf(await this.registry.getVersion(model, version));
  }

  /** @throws ModelNotFoundError, AliasNotFoundError */
  async forAlias(model: string, alias: string): Promise<ModelLineage> {
    return this.lineageOf(await this.registry.resolveAlias(model, alias));
  }

  /** Runs (newest first) and versions (by model, newest first) whose source dataset has the digest; empty when none. */
  async forDataset(digest: string): Promise<DatasetLineage> {
    const runs = await this.db
      .selectFrom('runs')
      .select(['id', 'pipeline_name', 'status', 'created_at', 'finished_at', 'error', 'metrics_json', 'model_name', 'model_version'])
      .where('dataset_digest', '=', digest)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    const versionRows = await this.db
      .selectFrom('model_versions')
      .selectAll()
      .where('dataset_digest', '=', digest)
      .orderBy('model_name')
      .orderBy('version', 'desc')
      .execute();
    return { digest, runs: runs.map(toRunSummary), versions: await this.registry.withAliases(versionRows) };
  }

  private async lineageOf(version: ModelVersion): Promise<ModelLineage> {
    const run = await this.db
      .selectFrom('runs')
      .select(['id', 'pipeline_name', 'experiment', 'status', 'pipeline_json as pipelineJson'])
      .where('id', '=', version.runId)
      .executeTakeFirst();
    const steps = run === undefined ? [] : await this.db.selectFrom('run_steps').selectAll().where('run_id', '=', run.id).execute();
    const train = trainingOf(steps, version);
    const prepare = train === undefined ? undefined : steps.find((s) => s.kind === 'prepare' && s.name === inputOf(run?.pipelineJson, train.step));
    const toLineage = (row: RunStepRow | undefined): LineageStep | null =>
      row === undefined ? null : { runId: row.run_id, step: row.name, status: row.status, startedAt: row.started_at, finishedAt: row.finished_at };
    return {
      dataset: { digest: version.datasetDigest },
      run: run === undefined ? null : { id: run.id, pipelineName: run.pipeline_name, experiment: run.experiment, status: run.status },
      prepare: toLineage(prepare),
      train: toLineage(train),
      version,
      servedAs: version.aliases,
    };
  }
}

/** The training behind a version: the one its register step names, else (a run recorded before DAGs) the only one. */
function trainingOf(steps: readonly RunStepRow[], version: ModelVersion): RunStepRow | undefined {
  for (const step of steps) {
    if (step.kind !== 'register' || step.output_json === null) continue;
    const registered = STEP_OUTPUT_SCHEMAS.register.safeParse(JSON.parse(step.output_json));
    if (registered.success && registered.data.modelName === version.model && registered.data.version === version.version) {
      return steps.find((s) => s.name === registered.data.trainStep);
    }
  }
  const trainings = steps.filter((s) => s.kind === 'train');
  return trainings.length === 1 ? trainings[0] : undefined;
}

/** The prepare step a pipeline's training step reads its dataset from (runs recorded before DAGs read `prepare`). */
function inputOf(pipelineJson: string | undefined, trainStep: string): string | undefined {
  if (pipelineJson === undefined) return undefined;
  const pipeline = recordedPipelineSchema.safeParse(JSON.parse(pipelineJson));
  const step = pipeline.success ? pipeline.data.steps.find((s) => s.name === trainStep) : undefined;
  return step?.kind === 'train' ? step.inputs.dataset : undefined;
}
