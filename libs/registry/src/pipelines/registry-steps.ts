import type {
  EvaluateModelsJob,
  EvaluationResult,
  PromoteVersionJob,
  PromotionResult,
  RegisterModelJob,
  RegistrationResult,
} from '@slipway/contracts';
import type { RunStepRow } from '../database/registry-database.types';
import type { ModelRegistryService } from '../models/model-registry.service';
import type { RunService } from '../runs/run.service';
import { STEP_OUTPUT_SCHEMAS, trainedModelOf } from './step-outputs';

/** The steps the registry runs itself: pick the best model, register a version, promote it. Inputs come from the run's record. */
export class RegistrySteps {
  constructor(
    private readonly runs: RunService,
    private readonly registry: ModelRegistryService,
  ) {}

  /** The candidate with the best value of the metric; ties go to the first candidate listed. */
  async evaluate(job: EvaluateModelsJob): Promise<EvaluationResult> {
    const rows = await this.runs.loadSteps(job.runId);
    const scores: Record<string, number> = {};
    for (const candidate of job.candidates) scores[candidate] = trainedModelOf(stepOf(rows, job.runId, candidate)).metrics[job.metric];
    const better = (a: number, b: number) => (job.goal === 'max' ? a > b : a < b);
    const best = job.candidates.reduce((leader, candidate) => (better(scores[candidate], scores[leader]) ? candidate : leader));
    return { best, metric: job.metric, value: scores[best], scores };
  }

  /** Registering again for the same run returns the version it already registered (a retried job). */
  async register(job: RegisterModelJob): Promise<RegistrationResult> {
    const trained = trainedModelOf(stepOf(await this.runs.loadSteps(job.runId), job.runId, job.from));
    const version = await this.registry.registerVersion({ modelName: job.modelName, runId: job.runId, trained });
    return { modelName: job.modelName, version: version.version };
  }

  /** Promoting again for the same run (a retried job) leaves the alias and reports the version this run replaced. */
  async promote(job: PromoteVersionJob): Promise<PromotionResult> {
    const registered = STEP_OUTPUT_SCHEMAS.register.parse(JSON.parse(stepOf(await this.runs.loadSteps(job.runId), job.runId, job.from).output_json ?? 'null'));
    const { modelName, version } = registered;
    const actor = `run:${job.runId}`;
    await this.registry.setAlias(modelName, job.alias, version, actor);
    // The audit row this run wrote says what the alias pointed at before; without one, it already pointed here.
    const moved = (await this.registry.aliasHistory(modelName, job.alias)).find((entry) => entry.actor === actor && entry.toVersion === version);
    return { modelName, version, alias: job.alias, previousVersion: moved ? moved.fromVersion : version };
  }
}

function stepOf(rows: readonly RunStepRow[], runId: string, name: string): RunStepRow {
  const row = rows.find((r) => r.name === name);
  if (!row) throw new Error(`run "${runId}" has no step "${name}"`);
  return row;
}
