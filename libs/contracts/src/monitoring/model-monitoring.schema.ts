import { z } from 'zod';
import { METRIC_SPLITS } from '../model/metric-ref';
import { MODEL_NAME, MODEL_NAME_RULE } from '../pipeline/pipeline-step.schema';
import { pipelineSpecSchema } from '../registry/pipeline-spec.schema';
import { stepStatusSchema } from '../registry/run.schema';

/** POST /api/feedback: the true labels of predictions serving answered (one per predicted row: a class, or a regressor's true value). */
export const feedbackRequestSchema = z.object({
  feedback: z
    .array(
      z.object({
        /** The `x-slipway-prediction-id` serving answered with (the V2 request `id` when the client sent one). */
        predictionId: z.string().min(1),
        labels: z.array(z.union([z.string().min(1), z.number().finite()])).min(1),
      }),
    )
    .min(1)
    .max(10_000),
});
export type FeedbackRequest = z.infer<typeof feedbackRequestSchema>;

export const feedbackResponseSchema = z.object({
  /** Predictions whose labels were recorded (a repeated id replaces its earlier labels). */
  accepted: z.number().int(),
  /** Rows whose true label was recorded. */
  rows: z.number().int(),
});
export type FeedbackResponse = z.infer<typeof feedbackResponseSchema>;

export const versionAccuracySchema = z.object({
  version: z.number().int(),
  /** Rows with a true label. */
  labelledRows: z.number().int(),
  /** Rows a classifier predicted right (0 for a regressor). */
  correctRows: z.number().int(),
  /** A classifier's correctRows / labelledRows; null before any feedback and for a regressor. */
  accuracy: z.number().nullable(),
  /** A regressor's mean absolute and root mean squared error on the labelled rows; null for a classifier. */
  mae: z.number().nullable(),
  rmse: z.number().nullable(),
});
export type VersionAccuracy = z.infer<typeof versionAccuracySchema>;

/** GET /api/models/:model/accuracy */
export const modelAccuracyResponseSchema = z.object({ model: z.string(), versions: z.array(versionAccuracySchema) });
export type ModelAccuracyResponse = z.infer<typeof modelAccuracyResponseSchema>;

export const driftMethodSchema = z.enum(['psi', 'ks_pvalue', 'chi2_pvalue']);
export type DriftMethod = z.infer<typeof driftMethodSchema>;

export const featureDriftSchema = z.object({
  feature: z.string(),
  kind: z.enum(['numeric', 'categorical']),
  /** Population stability index of the window against the training distribution. */
  psi: z.number(),
  /** Kolmogorov–Smirnov (numeric) or chi-square (categorical) test against the training distribution. */
  test: z.object({ method: z.enum(['ks', 'chi2']), statistic: z.number(), pValue: z.number() }),
  rows: z.number().int(),
});
export type FeatureDrift = z.infer<typeof featureDriftSchema>;

export const versionDriftSchema = z.object({
  version: z.number().int(),
  /** Sampled rows in the sliding window. */
  windowRows: z.number().int(),
  /** Rows the window needs before drift is computed (the policy's minRows). */
  minRows: z.number().int(),
  psiThreshold: z.number(),
  /** True while any feature's PSI is above the threshold. */
  drifted: z.boolean(),
  evaluatedAt: z.string().nullable(),
  features: z.array(featureDriftSchema),
  /** Why drift is not computed (e.g. the training statistics could not be read), else null. */
  unavailable: z.string().nullable(),
});
export type VersionDrift = z.infer<typeof versionDriftSchema>;

/** GET /api/models/:model/drift */
export const modelDriftResponseSchema = z.object({ model: z.string(), versions: z.array(versionDriftSchema) });
export type ModelDriftResponse = z.infer<typeof modelDriftResponseSchema>;

/** What to do when a model's features drift; every field has a default, so `{}` means "alert in the log only". */
export const driftPolicyEntrySchema = z.object({
  /** A feature whose PSI exceeds this is drifting (0.1 = watch, 0.2 = act, the usual rule of thumb). */
  psiThreshold: z.number().positive().default(0.2),
  /** Sampled rows the window must hold before drift is judged. */
  minRows: z.number().int().min(10).default(200),
  /** Receives a POST with the alert as JSON, retried with backoff. */
  webhook: z.url({ protocol: /^https?$/ }).optional(),
  /** Submitted through the registry once per crossing. */
  retrain: z.object({ pipeline: pipelineSpecSchema }).optional(),
});
export type DriftPolicyEntry = z.infer<typeof driftPolicyEntrySchema>;

/** SLIPWAY_DRIFT_POLICY: model name → policy. */
export const driftPolicySchema = z.record(z.string().regex(MODEL_NAME, `model names are ${MODEL_NAME_RULE}`), driftPolicyEntrySchema);
export type DriftPolicy = z.infer<typeof driftPolicySchema>;

/** The webhook body, and an entry of GET /api/alerts. */
export const driftAlertSchema = z.object({
  id: z.string(),
  kind: z.literal('feature-drift'),
  model: z.string(),
  version: z.number().int(),
  at: z.string(),
  psiThreshold: z.number(),
  /** The features above the threshold. */
  features: z.array(featureDriftSchema),
  /** The retraining run submitted for this crossing, when the policy asks for one and the registry accepted it. */
  retrainRunId: z.string().nullable(),
});
export type DriftAlert = z.infer<typeof driftAlertSchema>;

/** GET /api/dashboard and each `snapshot` event of GET /api/dashboard/events (SSE): everything the dashboard page draws. */
export const dashboardSnapshotSchema = z.object({
  generatedAt: z.string(),
  queues: z.record(z.string(), z.object({ waiting: z.number().int(), active: z.number().int(), delayed: z.number().int(), prioritized: z.number().int(), completed: z.number().int(), failed: z.number().int() })),
  /** Per model version since monitoring started; the page derives request rates from successive snapshots. */
  inference: z.array(
    z.object({
      model: z.string(),
      version: z.number().int(),
      requests: z.number().int(),
      errors: z.number().int(),
      rows: z.number().int(),
      p50Ms: z.number().nullable(),
      p99Ms: z.number().nullable(),
    }),
  ),
  /** Latest runs from the registry, with their step states; null with `registryError` when the registry did not answer. */
  runs: z
    .array(
      z.object({
        id: z.string(),
        pipelineName: z.string(),
        status: z.string(),
        createdAt: z.string(),
        steps: z.record(z.string(), z.string()),
        /** The steps by pipeline step, in pipeline order: a grid's trainings form one group, summed up by groupStatus. */
        stepGroups: z.array(z.object({ step: z.string(), status: stepStatusSchema, rows: z.number().int().positive(), statuses: z.record(z.string(), z.number().int()) })),
        /** Latest epoch seen on the training queue, for runs still training. */
        epoch: z.number().int().nullable(),
      }),
    )
    .nullable(),
  models: z
    .array(
      z.object({
        name: z.string(),
        aliases: z.record(z.string(), z.number().int()),
        versions: z.array(
          z.object({
            version: z.number().int(),
            createdAt: z.string(),
            /** Accuracy of a classifier, R² of a regressor, on validation when the model has the split; null for an imported model. */
            headline: z.object({ split: z.enum(METRIC_SPLITS), name: z.enum(['accuracy', 'r2']), value: z.number() }).nullable(),
            /** `slipway-tfjs` (a network) or `slipway-onnx` (a forest) for a model trained here, else the imported model's format (`onnx`, `tfjs-layers`, `tfjs-graph`). */
            format: z.string(),
            aliases: z.array(z.string()),
          }),
        ),
      }),
    )
    .nullable(),
  registryError: z.string().nullable(),
  drift: z.array(modelDriftResponseSchema),
  accuracy: z.array(modelAccuracyResponseSchema),
  alerts: z.array(driftAlertSchema),
});
export type DashboardSnapshot = z.infer<typeof dashboardSnapshotSchema>;
