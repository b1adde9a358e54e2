import {
  expandGrid,
  gridStepName,
  pipelineSpecSchema,
  topologicalOrder,
  type PipelineStepInput,
  type PipelineSpecInput,
  type Run,
  type RunStep,
} from '@slipway/contracts';

export interface GridPipelineOptions {
  name?: string;
  /** @defaultValue 30 */
  epochs?: number;
  /** @defaultValue 8 */
  units?: number;
  maxParallelism?: number;
  /** Steps after prepare → train (grid) → evaluate. */
  then?: PipelineStepInput[];
}

/** prepare → train over `grid` → evaluate: the shape of a grid run, which the views draw differently from a chain. */
export function gridPipeline(grid: Record<string, (number | string)[]>, { name = 'iris-grid', epochs = 30, units = 8, maxParallelism, then = [] }: GridPipelineOptions = {}): PipelineSpecInput {
  return {
    name,
    steps: [
      { name: 'prepare', kind: 'prepare', params: { dataset: { uri: 'data/iris.csv', labelColumn: 'species' } } },
      {
        name: 'train',
        kind: 'train',
        inputs: { dataset: 'prepare' },
        params: { model: { layers: [{ type: 'dense', units }], epochs }, grid, ...(maxParallelism === undefined ? {} : { maxParallelism }) },
      },
      { name: 'evaluate', kind: 'evaluate', inputs: { models: 'train' } },
      ...then,
    ],
  };
}

/**
 * A run of the pipeline as the registry starts it: one pending row per step in topological order, a grid step
 * expanded into one training per grid point (`train[0]`, `train[1]`, …) carrying its values.
 */
export function pendingRun(input: PipelineSpecInput, id = 'run-1'): Run {
  const pipeline = pipelineSpecSchema.parse(input);
  const steps = topologicalOrder(pipeline.steps).flatMap((step): RunStep[] => {
    if (step.kind !== 'train' || step.params.grid === undefined) return [pendingStep(step.name, step.name, step.kind, null)];
    return expandGrid(step.params.model, step.params.grid).map((point) => pendingStep(gridStepName(step.name, point.index), step.name, 'train', point.values));
  });
  return {
    id,
    pipelineName: pipeline.name,
    status: 'running',
    submittedBy: null,
    createdAt: '2026-11-29T00:00:00.000Z',
    startedAt: '2026-11-29T00:00:00.000Z',
    finishedAt: null,
    error: null,
    pipeline,
    team: pipeline.team,
    resumes: 0,
    steps,
    epochs: [],
    datasetDigest: null,
    backend: null,
    metrics: null,
    modelVersion: null,
    promotedTo: null,
  };
}

/** The run with the named rows changed. @throws when the run has no such row, so a typo cannot pass silently. */
export function withSteps(run: Run, changes: Record<string, Partial<RunStep>>): Run {
  for (const name of Object.keys(changes)) {
    if (!run.steps.some((step) => step.name === name)) throw new Error(`run ${run.id} has no step "${name}"`);
  }
  return { ...run, steps: run.steps.map((step) => ({ ...step, ...changes[step.name] })) };
}

function pendingStep(name: string, step: string, kind: RunStep['kind'], grid: RunStep['grid']): RunStep {
  return {
    name,
    step,
    kind,
    grid,
    status: 'pending',
    attempts: 0,
    startedAt: null,
    finishedAt: null,
    durationMs: null,
    error: null,
    cache: { key: null, cachedFrom: null },
    progress: null,
    metrics: null,
    dataset: null,
    earlyStopped: null,
  };
}
