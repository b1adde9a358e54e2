import type { DatasetLineage, LineageStep, ModelLineage, ModelVersion, StepName } from '@slipway/contracts';
import type { RegistryDb } from '../database/registry-database.types';
import type { ModelRegistryService } from '../models/model-registry.service';
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
      .select(['id', 'pipeline_name', 'experiment', 'status'])
      .where('id', '=', version.runId)
      .executeTakeFirst();
    const steps = run === undefined ? [] : await this.db.selectFrom('run_steps').selectAll().where('run_id', '=', run.id).execute();
    const step = (name: StepName): LineageStep | null => {
      const row = steps.find((s) => s.name === name);
      return row === undefined ? null : { runId: row.run_id, step: row.name, status: row.status, startedAt: row.started_at, finishedAt: row.finished_at };
    };
    return {
      dataset: { digest: version.datasetDigest },
      run: run === undefined ? null : { id: run.id, pipelineName: run.pipeline_name, experiment: run.experiment, status: run.status },
      prepare: step('prepare'),
      train: step('train'),
      version,
      servedAs: version.aliases,
    };
  }
}
