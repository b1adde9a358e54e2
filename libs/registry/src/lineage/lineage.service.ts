import { isImportedVersion, type DatasetLineage, type LineageStep, type ModelLineage, type ModelVersion } from '@slipway/contracts';
import { RunNotFoundError } from '../errors/run-not-found.error';
import type { ModelRegistryService } from '../models/model-registry.service';
import type { RunRecord, StepRecord } from '../runs/run-entities';
import type { RunService } from '../runs/run.service';

/** Where a version came from (dataset → prepare → train → version → aliases), and what came from a dataset. */
export class LineageService {
  constructor(
    private readonly runs: RunService,
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
    const [runs, versions] = await Promise.all([this.runs.listRunsFromDataset(digest), this.registry.versionsFromDataset(digest)]);
    return { digest, runs, versions };
  }

  private async lineageOf(version: ModelVersion): Promise<ModelLineage> {
    if (isImportedVersion(version)) return { dataset: null, run: null, prepare: null, train: null, version, servedAs: version.aliases };
    const run = await this.runs.record(version.runId).catch((error: unknown) => {
      if (error instanceof RunNotFoundError) return undefined;
      throw error;
    });
    const train = run === undefined ? undefined : trainingOf(run, version);
    const prepare = run === undefined || train === undefined ? undefined : preparationOf(run, train);
    return {
      dataset: { digest: version.datasetDigest },
      run: run === undefined ? null : { id: run.id, pipelineName: run.pipelineName, experiment: run.experiment, status: run.status },
      prepare: toLineage(prepare),
      train: toLineage(train),
      version,
      servedAs: version.aliases,
    };
  }
}

function toLineage(step: StepRecord | undefined): LineageStep | null {
  return step === undefined ? null : { runId: step.runId, step: step.name, status: step.status, startedAt: step.startedAt, finishedAt: step.finishedAt };
}

/** The training behind a version: the one its register step names, else (a run recorded before DAGs) the only one. */
function trainingOf(run: RunRecord, version: ModelVersion): StepRecord | undefined {
  for (const step of run.steps) {
    if (step.kind === 'register' && step.output?.modelName === version.model && step.output.version === version.version) {
      const registered = step.output;
      return run.steps.find((s) => s.name === registered.trainStep);
    }
  }
  const trainings = run.steps.filter((s) => s.kind === 'train');
  return trainings.length === 1 ? trainings[0] : undefined;
}

/** The prepare step a training read its dataset from. */
function preparationOf(run: RunRecord, train: StepRecord): StepRecord | undefined {
  const spec = run.pipeline.steps.find((s) => s.name === train.step);
  const source = spec?.kind === 'train' ? spec.inputs.dataset : undefined;
  return run.steps.find((s) => s.kind === 'prepare' && s.name === source);
}
