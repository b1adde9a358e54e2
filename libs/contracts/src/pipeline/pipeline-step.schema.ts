import { z } from 'zod';
import { datasetSourceSchema } from '../dataset/dataset.schema';
import { metricRefSchema } from '../model/metric-ref';
import { modelSpecSchema } from '../model/model-spec.schema';

/** Step names (and team names): lowercase letters, digits and dashes, starting with a letter. */
export const STEP_NAME = /^[a-z][a-z0-9-]{0,62}$/;
/** Model names also take "_", as Triton's and MLflow's do (`densenet_onnx`), so a Triton repository imports as it is. */
export const MODEL_NAME = /^[a-z][a-z0-9_-]{0,62}$/;
export const MODEL_NAME_RULE = 'lowercase letters, digits, "_" and "-", starting with a letter';
/** Alias names: lowercase letters, digits and dashes, starting with a letter (`production`, `staging`, `canary`). */
export const ALIAS_NAME = /^[a-z][a-z0-9-]{0,62}$/;
export const NAME_RULE = 'lowercase letters, digits and dashes, starting with a letter';

export const STEP_KINDS = ['prepare', 'train', 'evaluate', 'register', 'promote'] as const;
export const stepKindSchema = z.enum(STEP_KINDS);
export type StepKind = z.infer<typeof stepKindSchema>;

const stepNameSchema = z.string().regex(STEP_NAME, NAME_RULE);
/** A reference to another step of the same pipeline, by name: that step's output is this step's input. */
const stepRefSchema = z.string().regex(STEP_NAME, `a step name: ${NAME_RULE}`);


/** Exponential backoff: attempt n waits backoffMs × 2^(n-2) after attempt n-1 failed. */
export const stepRetrySchema = z.strictObject({
  attempts: z.number().int().min(1).max(20).default(3),
  backoffMs: z.number().int().min(0).max(3_600_000).default(2_000),
});
export type StepRetry = z.infer<typeof stepRetrySchema>;

/** A gate on the metrics of the model a step receives: when it does not hold, the step and its dependents are skipped. */
export const stepConditionSchema = z.strictObject({
  /** A bare metric name means the validation split's. */
  metric: metricRefSchema,
  op: z.enum(['>=', '>', '<=', '<']),
  value: z.number(),
});
export type StepCondition = z.infer<typeof stepConditionSchema>;

const commonStepFields = {
  name: stepNameSchema,
  /** Retries of this step's job; the queue's defaults apply when absent. */
  retry: stepRetrySchema.optional(),
  /** `false` always runs the step, even when an earlier run produced the same outputs from the same inputs. */
  cache: z.boolean().default(true),
};

/** A scalar a grid can try for one model-spec field. */
const gridValueSchema = z.union([z.number(), z.string(), z.boolean()]);

export const prepareStepSchema = z.strictObject({
  ...commonStepFields,
  kind: z.literal('prepare'),
  params: z.strictObject({ dataset: datasetSourceSchema }),
});

export const trainStepSchema = z.strictObject({
  ...commonStepFields,
  kind: z.literal('train'),
  inputs: z.strictObject({ dataset: stepRefSchema }),
  params: z.strictObject({
    model: modelSpecSchema,
    /**
     * Fan-out: model-spec fields (dotted paths such as `learningRate` or `layers.0.units`) and the values to try.
     * The step runs once per combination.
     */
    grid: z.record(z.string().min(1), z.array(gridValueSchema).min(1)).optional(),
    /** How many of the grid's trainings may be queued or running at once. @defaultValue all of them */
    maxParallelism: z.number().int().min(1).optional(),
    /** GPUs one training requests; counted against the team's GPU quota. */
    gpus: z.number().int().min(0).max(64).default(0),
  }),
});

export const evaluateStepSchema = z.strictObject({
  ...commonStepFields,
  kind: z.literal('evaluate'),
  /** Fan-in: every model these steps produced (all of a grid's trainings) competes. */
  inputs: z.strictObject({ models: z.union([stepRefSchema, z.array(stepRefSchema).min(1)]) }),
  params: z
    .strictObject({
      /** @defaultValue `validation.accuracy` for classifiers, `validation.r2` for regressors */
      metric: metricRefSchema.optional(),
      /** @defaultValue `min` for loss, mse, rmse and mae, `max` for the others */
      goal: z.enum(['max', 'min']).optional(),
    })
    .default({}),
});

export const registerStepSchema = z.strictObject({
  ...commonStepFields,
  kind: z.literal('register'),
  inputs: z.strictObject({ model: stepRefSchema }),
  params: z.strictObject({ model: z.string().regex(MODEL_NAME, MODEL_NAME_RULE) }),
  when: stepConditionSchema.optional(),
});

export const promoteStepSchema = z.strictObject({
  ...commonStepFields,
  kind: z.literal('promote'),
  inputs: z.strictObject({ version: stepRefSchema }),
  params: z.strictObject({ alias: z.string().regex(ALIAS_NAME, NAME_RULE) }),
  when: stepConditionSchema.optional(),
});

export const pipelineStepSchema = z.discriminatedUnion('kind', [
  prepareStepSchema,
  trainStepSchema,
  evaluateStepSchema,
  registerStepSchema,
  promoteStepSchema,
]);
export type PipelineStep = z.infer<typeof pipelineStepSchema>;
export type PipelineStepInput = z.input<typeof pipelineStepSchema>;
export type StepOfKind<K extends StepKind> = Extract<PipelineStep, { kind: K }>;

/** Which kinds of step may feed each input of each kind. */
export const STEP_INPUT_KINDS: { readonly [K in StepKind]: Readonly<Record<string, readonly StepKind[]>> } = {
  prepare: {},
  train: { dataset: ['prepare'] },
  evaluate: { models: ['train', 'evaluate'] },
  register: { model: ['train', 'evaluate'] },
  promote: { version: ['register'] },
};

/** The names of the steps a step reads from, with the input each feeds. */
export function stepInputs(step: PipelineStep): { input: string; from: string; index?: number }[] {
  if (step.kind === 'prepare') return [];
  if (step.kind === 'evaluate') {
    const models = step.inputs.models;
    return Array.isArray(models) ? models.map((from, index) => ({ input: 'models', from, index })) : [{ input: 'models', from: models }];
  }
  return Object.entries(step.inputs as Record<string, string>).map(([input, from]) => ({ input, from }));
}

/** Whether `actual op threshold` holds. */
export function conditionHolds(condition: StepCondition, actual: number): boolean {
  switch (condition.op) {
    case '>=':
      return actual >= condition.value;
    case '>':
      return actual > condition.value;
    case '<=':
      return actual <= condition.value;
    case '<':
      return actual < condition.value;
  }
}
