import {
  evaluateStepSchema,
  evaluationResultSchema,
  modelSpecSchema,
  prepareDatasetResultSchema,
  prepareStepSchema,
  promoteStepSchema,
  promotionResultSchema,
  registerStepSchema,
  registrationResultSchema,
  trainedModelSchema,
  type EvaluationMetrics,
  type StepKind,
} from '@slipway/contracts';
import { z } from 'zod';
import { sha256 } from './content-digest';

/**
 * What each kind of step leaves as its output. An evaluation also keeps the model it picked, and a registration
 * the training it came from, so the steps after them read one input, not a chain.
 */
export const STEP_OUTPUT_SCHEMAS = {
  prepare: prepareDatasetResultSchema,
  train: trainedModelSchema,
  evaluate: evaluationResultSchema.extend({ model: trainedModelSchema }),
  register: registrationResultSchema.extend({ metrics: trainedModelSchema.shape.metrics, trainStep: z.string() }),
  promote: promotionResultSchema,
} as const;

export type StepOutput<K extends StepKind> = z.output<(typeof STEP_OUTPUT_SCHEMAS)[K]>;

/**
 * A step's params as its run records them: the pipeline step's params, with a training's grid point applied
 * (its grid and parallelism are the grid step's, not the training's).
 */
export const STEP_PARAMS_SCHEMAS = {
  prepare: prepareStepSchema.shape.params,
  train: z.object({ model: modelSpecSchema, gpus: z.number().int().min(0) }),
  evaluate: evaluateStepSchema.shape.params.unwrap(),
  register: registerStepSchema.shape.params,
  promote: promoteStepSchema.shape.params,
} as const;

export type StepParams<K extends StepKind> = z.output<(typeof STEP_PARAMS_SCHEMAS)[K]>;

/** An output together with the kind of step that produced it. */
export type KindedOutput = { [K in StepKind]: { kind: K; output: StepOutput<K> } }[StepKind];

/** The content digest a step's output contributes to the cache keys of the steps that read it. */
export function outputDigest(produced: KindedOutput): string {
  switch (produced.kind) {
    case 'prepare':
      return sha256(`${produced.output.dataset.digest}+${produced.output.transform.digest}`);
    case 'train':
      return sha256(`${produced.output.model.digest}+${produced.output.transform.digest}`);
    case 'evaluate':
      return sha256(`${produced.output.model.model.digest}+${produced.output.model.transform.digest}`);
    case 'register':
      return `${produced.output.modelName}@${produced.output.version}`;
    case 'promote':
      return `${produced.output.modelName}@${produced.output.version}#${produced.output.alias}`;
  }
}

/** The test metrics of the model an output describes, if it describes one. */
export function outputMetrics(produced: KindedOutput): EvaluationMetrics | null {
  switch (produced.kind) {
    case 'train':
      return produced.output.metrics;
    case 'evaluate':
      return produced.output.model.metrics;
    case 'register':
      return produced.output.metrics;
    case 'prepare':
    case 'promote':
      return null;
  }
}
