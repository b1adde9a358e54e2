import { isForestSpec, parseMetricRef, stepInputs, type PipelineSpec, type PipelineStep } from '@slipway/contracts';
import { PipelineSubmissionError } from './pipeline-errors';

/**
 * Choosing or gating on validation figures, and early stopping, need a validation split: a pipeline that asks for
 * them from a data set prepared without one could never do what it says, so it is refused before anything runs.
 * @throws PipelineSubmissionError naming the field that needs the split
 */
export function assertValidationSplitsFor(pipeline: PipelineSpec): void {
  pipeline.steps.forEach((step, i) => {
    const needs = validationNeed(step, i);
    if (needs === undefined) return;
    const without = preparesBehind(pipeline, step.name).find((prepare) => prepare.params.dataset.split.validation === 0);
    if (without === undefined) return;
    throw new PipelineSubmissionError(needs.field, `${needs.what} needs a validation split, but step "${without.name}" prepares its data with split.validation 0`);
  });
}

function validationNeed(step: PipelineStep, index: number): { field: string; what: string } | undefined {
  const field = `pipeline.steps.${index}`;
  if (step.kind === 'evaluate' && parseMetricRef(step.params.metric ?? 'validation.loss')?.split === 'validation') {
    return { field: `${field}.params.metric`, what: `step "${step.name}" chooses on ${step.params.metric ?? 'validation figures (the default)'}, which` };
  }
  if ((step.kind === 'register' || step.kind === 'promote') && step.when !== undefined && parseMetricRef(step.when.metric)?.split === 'validation') {
    return { field: `${field}.when.metric`, what: `the condition of step "${step.name}" on ${step.when.metric}` };
  }
  if (step.kind === 'train' && !isForestSpec(step.params.model) && step.params.model.earlyStopping !== undefined) {
    return { field: `${field}.params.model.earlyStopping`, what: `early stopping of step "${step.name}"` };
  }
  return undefined;
}

/** The prepare steps whose data a step's model comes from. */
function preparesBehind(pipeline: PipelineSpec, name: string, seen = new Set<string>()): Extract<PipelineStep, { kind: 'prepare' }>[] {
  const step = pipeline.steps.find((candidate) => candidate.name === name);
  if (step === undefined || seen.has(name)) return [];
  seen.add(name);
  if (step.kind === 'prepare') return [step];
  return stepInputs(step).flatMap(({ from }) => preparesBehind(pipeline, from, seen));
}
