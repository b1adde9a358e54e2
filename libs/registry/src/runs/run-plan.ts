import { expandGrid, gridStepName, topologicalOrder, type GridValue, type PipelineSpec, type PipelineStep, type StepKind } from '@slipway/contracts';

/** One row a run starts with: a step, or one training of a grid step. */
export interface PlannedStep {
  name: string;
  step: string;
  kind: StepKind;
  position: number;
  grid: Record<string, GridValue> | null;
  /** The step's params with its grid point applied (for a training: `{ model, gpus }`). */
  params: unknown;
}

/** The rows of a new run, in topological order; a grid step expands into one training per grid point. */
export function planRunSteps(pipeline: PipelineSpec): PlannedStep[] {
  const planned: PlannedStep[] = [];
  for (const step of topologicalOrder(pipeline.steps)) {
    if (step.kind !== 'train' || step.params.grid === undefined) {
      planned.push({ name: step.name, step: step.name, kind: step.kind, position: planned.length, grid: null, params: paramsOf(step) });
      continue;
    }
    for (const point of expandGrid(step.params.model, step.params.grid)) {
      planned.push({
        name: gridStepName(step.name, point.index),
        step: step.name,
        kind: 'train',
        position: planned.length,
        grid: point.values,
        params: { model: point.model, gpus: step.params.gpus },
      });
    }
  }
  return planned;
}

function paramsOf(step: PipelineStep): unknown {
  if (step.kind === 'train') return { model: step.params.model, gpus: step.params.gpus };
  return step.params;
}
