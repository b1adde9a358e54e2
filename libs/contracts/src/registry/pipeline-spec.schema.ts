import { z } from 'zod';
import { datasetSourceSchema } from '../dataset/dataset.schema';
import { modelSpecSchema } from '../model/model-spec.schema';
import { findGraphIssues } from '../pipeline/pipeline-graph';
import { ALIAS_NAME, MODEL_NAME, MODEL_NAME_RULE, pipelineStepSchema, STEP_NAME, type PipelineStepInput } from '../pipeline/pipeline-step.schema';
import { DEFAULT_EXPERIMENT, experimentNameSchema } from './experiment.schema';

export const DEFAULT_TEAM = 'default';

const NAME_RULE = 'lowercase letters, digits and dashes, starting with a letter';

/** The shorthand pipeline's promotion: move `alias` to the new version when its test accuracy reaches the minimum. */
export const promotionPolicySchema = z.object({
  alias: z.string().regex(ALIAS_NAME, 'lowercase letters, digits and dashes, starting with a letter').default('production'),
  minTestAccuracy: z.number().min(0).max(1).default(0.9),
});
export type PromotionPolicy = z.infer<typeof promotionPolicySchema>;

const pipelineDagShape = z.strictObject({
  name: z.string().min(1).max(128),
  /** Whose quotas the run's trainings count against. */
  team: z.string().regex(STEP_NAME, NAME_RULE).default(DEFAULT_TEAM),
  steps: z.array(pipelineStepSchema).min(1).max(64),
});

/** A pipeline as a DAG of steps: the form every run records, whichever form was submitted. */
export const pipelineDagSchema = pipelineDagShape.superRefine((pipeline, ctx) => {
  for (const issue of findGraphIssues(pipeline.steps)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
});

const shorthandFields = {
  model: z.object({
    name: z.string().regex(MODEL_NAME, MODEL_NAME_RULE),
    spec: modelSpecSchema,
  }),
  dataset: datasetSourceSchema,
  promotion: promotionPolicySchema.default({ alias: 'production', minTestAccuracy: 0.9 }),
};

/** Either form of a pipeline file, turned into the DAG and validated by `dag`. */
function pipelineFile<D extends typeof pipelineDagShape | typeof pipelineDagSchema>(dag: D) {
  return z
    .strictObject({
      /** Where an editor finds this file's JSON Schema; ignored. */
      $schema: z.string().optional(),
      name: z.string().min(1).max(128),
      team: z.string().regex(STEP_NAME, NAME_RULE).default(DEFAULT_TEAM),
      steps: z.array(pipelineStepSchema).min(1).max(64).optional(),
      model: shorthandFields.model.optional(),
      dataset: shorthandFields.dataset.optional(),
      promotion: promotionPolicySchema.optional(),
    })
    .superRefine((file, ctx) => {
      if (file.steps !== undefined) {
        for (const field of ['model', 'dataset', 'promotion'] as const) {
          if (file[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'give either steps or the model/dataset/promotion shorthand, not both' });
        }
        return;
      }
      for (const field of ['model', 'dataset'] as const) {
        if (file[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'required when the pipeline has no steps' });
      }
    })
    .transform((file): z.input<typeof pipelineDagShape> => {
      const { name, team, steps, model, dataset } = file;
      // The refinement above let through either steps, or both model and dataset.
      if (steps !== undefined || model === undefined || dataset === undefined) return { name, team, steps: steps ?? [] };
      return { name, team, steps: expandShorthand(shorthandFields.promotion.parse(file.promotion), model, dataset) };
    })
    .pipe(dag);
}

/**
 * A pipeline file, meant to live in Git. Either `steps` (a DAG of prepare, train, evaluate, register and promote
 * steps), or the shorthand for the common chain — `model`, `dataset` and `promotion` — which expands to
 * prepare → train → register → promote (promote only when the test accuracy reaches `promotion.minTestAccuracy`).
 * Unknown keys are errors at the pipeline and step levels, so a misspelt field in a file fails instead of vanishing.
 */
export const pipelineSpecSchema = pipelineFile(pipelineDagSchema);

/**
 * A pipeline a run recorded, already validated when the run was submitted: read without the graph checks, which
 * re-expand every grid (a run of a 200-training grid is read on every step outcome).
 */
export const recordedPipelineSchema = pipelineFile(pipelineDagShape);
export type PipelineSpec = z.infer<typeof pipelineSpecSchema>;
export type PipelineSpecInput = z.input<typeof pipelineSpecSchema>;
/** The shorthand form's input, for code that writes one (tests, the demo). */
export type ShorthandPipelineSpecInput = Required<Pick<PipelineSpecInput, 'name' | 'model' | 'dataset'>> & Pick<PipelineSpecInput, 'promotion' | 'team'>;

function expandShorthand(
  promotion: z.output<typeof promotionPolicySchema>,
  model: z.output<typeof shorthandFields.model>,
  dataset: z.output<typeof datasetSourceSchema>,
): PipelineStepInput[] {
  return [
    { name: 'prepare', kind: 'prepare', params: { dataset } },
    { name: 'train', kind: 'train', inputs: { dataset: 'prepare' }, params: { model: model.spec } },
    { name: 'register', kind: 'register', inputs: { model: 'train' }, params: { model: model.name } },
    {
      name: 'promote',
      kind: 'promote',
      inputs: { version: 'register' },
      params: { alias: promotion.alias },
      when: { metric: 'testAccuracy', op: '>=', value: promotion.minTestAccuracy },
    },
  ];
}

/** `true` skips the cache for every step; a list skips it for the steps named. */
export const noCacheSchema = z.union([z.boolean(), z.array(z.string().regex(STEP_NAME, NAME_RULE))]).default(false);
export type NoCache = z.infer<typeof noCacheSchema>;

export const submitRunRequestSchema = z.object({
  pipeline: pipelineSpecSchema,
  experiment: experimentNameSchema.default(DEFAULT_EXPERIMENT),
  noCache: noCacheSchema,
});
export type SubmitRunRequest = z.input<typeof submitRunRequestSchema>;

/** The Idempotency-Key header of POST /api/runs: a retry with the same key returns the first run. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const idempotencyKeySchema = z
  .string()
  .regex(/^[\x21-\x7e]{8,200}$/, 'Idempotency-Key is 8 to 200 visible ASCII characters (a UUID, say)')
  .optional();
