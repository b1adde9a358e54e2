import {
  evaluationResultSchema,
  prepareDatasetResultSchema,
  promotionResultSchema,
  registrationResultSchema,
  trainedModelSchema,
  type EvaluationMetrics,
  type StepKind,
  type TrainedModel,
} from '@slipway/contracts';
import { z } from 'zod';
import type { RunStepRow } from '../database/registry-database.types';
import { sha256 } from './cache-key';

/**
 * What each kind of step leaves in `run_steps.output_json`. An evaluation also keeps the model it picked, and a
 * registration the training it came from, so the steps after them read one input, not a chain.
 */
export const STEP_OUTPUT_SCHEMAS = {
  prepare: prepareDatasetResultSchema,
  train: trainedModelSchema,
  evaluate: evaluationResultSchema.extend({ model: trainedModelSchema }),
  register: registrationResultSchema.extend({ metrics: trainedModelSchema.shape.metrics, trainStep: z.string() }),
  promote: promotionResultSchema,
} as const;

export type StepOutput<K extends StepKind> = z.output<(typeof STEP_OUTPUT_SCHEMAS)[K]>;
export type AnyStepOutput = StepOutput<StepKind>;

/** The content digest a step's output contributes to the cache keys of the steps that read it. */
export function outputDigest(kind: StepKind, output: unknown): string {
  switch (kind) {
    case 'prepare': {
      const prepared = STEP_OUTPUT_SCHEMAS.prepare.parse(output);
      return sha256(`${prepared.dataset.digest}+${prepared.transform.digest}`);
    }
    case 'train':
    case 'evaluate': {
      const trained = kind === 'train' ? STEP_OUTPUT_SCHEMAS.train.parse(output) : STEP_OUTPUT_SCHEMAS.evaluate.parse(output).model;
      return sha256(`${trained.model.digest}+${trained.transform.digest}`);
    }
    case 'register': {
      const registered = STEP_OUTPUT_SCHEMAS.register.parse(output);
      return `${registered.modelName}@${registered.version}`;
    }
    case 'promote': {
      const promoted = STEP_OUTPUT_SCHEMAS.promote.parse(output);
      return `${promoted.modelName}@${promoted.version}#${promoted.alias}`;
    }
  }
}

/** The test metrics of the model a step's output describes, if it describes one. */
export function outputMetrics(kind: StepKind, output: unknown): EvaluationMetrics | null {
  if (kind === 'train') return STEP_OUTPUT_SCHEMAS.train.parse(output).metrics;
  if (kind === 'evaluate') return STEP_OUTPUT_SCHEMAS.evaluate.parse(output).model.metrics;
  if (kind === 'register') return STEP_OUTPUT_SCHEMAS.register.parse(output).metrics;
  return null;
}

/** A finished step's recorded output. */
export function outputOf(row: RunStepRow): unknown {
  if (row.output_json === null) throw new Error(`step "${row.name}" of run "${row.run_id}" has no output yet`);
  return JSON.parse(row.output_json);
}

/** The model a training trained, or an evaluation picked. */
export function trainedModelOf(row: RunStepRow): TrainedModel {
  if (row.kind === 'evaluate') return STEP_OUTPUT_SCHEMAS.evaluate.parse(outputOf(row)).model;
  if (row.kind === 'train') return STEP_OUTPUT_SCHEMAS.train.parse(outputOf(row));
  throw new Error(`step "${row.name}" of run "${row.run_id}" is a ${row.kind} step and produced no model`);
}
