import { expandGrid, InvalidGridError } from './model-grid';
import { STEP_INPUT_KINDS, stepInputs, type PipelineStep } from './pipeline-step.schema';

export interface GraphIssue {
  /** Path inside the pipeline spec, e.g. `['steps', 2, 'inputs', 'model']`. */
  path: (string | number)[];
  message: string;
}

/**
 * Everything that makes a list of steps not a runnable DAG: duplicate names, references to missing steps
 * (dangling), inputs fed by the wrong kind of step, a single-model input fed by a grid, invalid grids, cycles.
 */
export function findGraphIssues(steps: readonly PipelineStep[]): GraphIssue[] {
  const issues: GraphIssue[] = [];
  const byName = new Map<string, PipelineStep>();
  steps.forEach((step, i) => {
    if (byName.has(step.name)) issues.push({ path: ['steps', i, 'name'], message: `another step is already named "${step.name}"` });
    else byName.set(step.name, step);
  });
  steps.forEach((step, i) => {
    for (const { input, from, index } of stepInputs(step)) {
      const path = ['steps', i, 'inputs', input, ...(index === undefined ? [] : [index])];
      const source = byName.get(from);
      if (source === undefined) {
        issues.push({ path, message: `refers to step "${from}", which this pipeline does not have` });
        continue;
      }
      const allowed = STEP_INPUT_KINDS[step.kind][input];
      if (!allowed.includes(source.kind)) {
        issues.push({ path, message: `a ${step.kind} step reads "${input}" from ${allowed.join(' or ')} steps; "${from}" is of kind ${source.kind}` });
      } else if (step.kind === 'register' && isGrid(source)) {
        issues.push({ path, message: `"${from}" trains a grid of models and register takes one; add an evaluate step that picks the best` });
      }
    }
    if (step.kind === 'train') issues.push(...gridIssues(step, i));
  });
  const cycle = findCycle(steps, byName);
  if (cycle) issues.push({ path: ['steps'], message: `the steps form a cycle: ${cycle.join(' → ')}` });
  return issues;
}

/** Steps ordered so every step comes after the steps it reads from. Assumes {@link findGraphIssues} found nothing. */
export function topologicalOrder<S extends PipelineStep>(steps: readonly S[]): S[] {
  const byName = new Map(steps.map((step) => [step.name, step]));
  const ordered: S[] = [];
  const placed = new Set<string>();
  const place = (step: S) => {
    if (placed.has(step.name)) return;
    placed.add(step.name);
    for (const { from } of stepInputs(step)) {
      const source = byName.get(from);
      if (source) place(source);
    }
    ordered.push(step);
  };
  steps.forEach(place);
  return ordered;
}

function isGrid(step: PipelineStep): boolean {
  return step.kind === 'train' && step.params.grid !== undefined && Object.keys(step.params.grid).length > 0;
}

function gridIssues(step: Extract<PipelineStep, { kind: 'train' }>, i: number): GraphIssue[] {
  try {
    expandGrid(step.params.model, step.params.grid);
    return [];
  } catch (error) {
    if (!(error instanceof InvalidGridError)) throw error;
    const path = ['steps', i, 'params', 'grid', ...(error.field === undefined ? [] : [error.field])];
    return [{ path, message: error.message }];
  }
}

/** The first cycle found by depth-first search, as step names with the first repeated at the end. */
function findCycle(steps: readonly PipelineStep[], byName: ReadonlyMap<string, PipelineStep>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const trail: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'visiting') return [...trail.slice(trail.indexOf(name)), name];
    const step = byName.get(name);
    if (!step) return undefined;
    state.set(name, 'visiting');
    trail.push(name);
    for (const { from } of stepInputs(step)) {
      const cycle = visit(from);
      if (cycle) return cycle;
    }
    trail.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const step of steps) {
    const cycle = visit(step.name);
    // Found walking inputs backwards; reverse so it reads in data-flow order.
    if (cycle) return cycle.reverse();
  }
  return undefined;
}
