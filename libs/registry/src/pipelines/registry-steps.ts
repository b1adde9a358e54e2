import { isImportedVersion, metricValue, type EvaluateModelsJob, type ModelVersion, type EvaluationResult, type PromoteVersionJob, type PromotionResult, type RegisterModelJob, type RegistrationResult } from '@slipway/contracts';
import type { RunAuthority } from '../auth/run-authority';
import type { ModelRegistryService } from '../models/model-registry.service';
import { outputOfKind, stepNamed, trainedModelOf } from '../runs/run-entities';
import type { RunService } from '../runs/run.service';
import type { StepOutput } from '../runs/step-outputs';
import type { CachedRegistrations } from './pipeline-engine';
import { MissingMetricError } from './pipeline-errors';

/** The steps the registry runs itself: pick the best model, register a version, promote it. Inputs come from the run's record. */
export class RegistrySteps implements CachedRegistrations {
  constructor(
    private readonly runs: RunService,
    private readonly registry: ModelRegistryService,
    private readonly authority: RunAuthority,
  ) {}

  /** The candidate with the best value of the metric; ties go to the first candidate listed. */
  async evaluate(job: EvaluateModelsJob): Promise<EvaluationResult> {
    const run = await this.runs.record(job.runId);
    const scores: Record<string, number> = {};
    for (const candidate of job.candidates) {
      const score = metricValue(trainedModelOf(stepNamed(run, candidate)).metrics, job.metric);
      if (score === undefined) throw new MissingMetricError(job.runId, candidate, job.metric);
      scores[candidate] = score;
    }
    const better = (a: number, b: number) => (job.goal === 'max' ? a > b : a < b);
    const best = job.candidates.reduce((leader, candidate) => (better(scores[candidate], scores[leader]) ? candidate : leader));
    return { best, metric: job.metric, value: scores[best], scores };
  }

  /** Registering again for the same run returns the version it already registered (a retried job). */
  async register(job: RegisterModelJob): Promise<RegistrationResult> {
    const trained = trainedModelOf(stepNamed(await this.runs.record(job.runId), job.from));
    const version = await this.registry.registerVersion({ modelName: job.modelName, runId: job.runId, trained });
    return { modelName: job.modelName, version: version.version };
  }

  /**
   * Promoting again for the same run (a retried job) leaves the alias and reports the version this run replaced.
   * @throws AuthenticationRequiredError, MissingScopeError when the alias is protected and the run's submitter may not move it
   */
  async promote(job: PromoteVersionJob): Promise<PromotionResult> {
    const run = await this.runs.record(job.runId);
    const { modelName, version } = outputOfKind(stepNamed(run, job.from), 'register');
    const actor = await this.authority.authorizePromotion(run, modelName, job.alias);
    await this.registry.setAlias(modelName, job.alias, version, actor);
    // The audit row this run wrote says what the alias pointed at before; without one, it already pointed here.
    const moved = (await this.registry.aliasHistory(modelName, job.alias)).find((entry) => entry.actor === actor && entry.toVersion === version);
    return { modelName, version, alias: job.alias, previousVersion: moved ? moved.fromVersion : version };
  }

  /**
   * A cached registration names the version its first producer registered; versions registered since from the same
   * model content (re-runs with caching off) are the same model. It resolves to the one an alias the run promotes to
   * already points at, else to the newest, so a cached re-run moves no alias back to an older copy of what it serves.
   */
  async reuse(cached: StepOutput<'register'>, promotedTo: readonly string[]): Promise<StepOutput<'register'>> {
    const model = await this.registry.getModel(cached.modelName);
    const original = model.versions.find((v) => v.version === cached.version);
    if (original === undefined) return cached;
    const sameContent = model.versions.filter((v) => sameTrainedContent(v, original));
    const served = promotedTo.map((alias) => model.aliases[alias]).find((version) => sameContent.some((v) => v.version === version));
    // Versions come newest first.
    return { ...cached, version: served ?? sameContent[0]?.version ?? cached.version };
  }
}

function sameTrainedContent(version: ModelVersion, original: ModelVersion): boolean {
  if (isImportedVersion(version) || isImportedVersion(original)) return false;
  return version.modelArtifact.digest === original.modelArtifact.digest && version.transformArtifact.digest === original.transformArtifact.digest;
}
