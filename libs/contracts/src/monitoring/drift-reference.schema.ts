import { z } from 'zod';
import { categoricalStatisticsSchema, numericStatisticsSchema } from '../dataset/dataset.schema';

/** One feature column's distribution in the reference data, with the statistics a fitted transform keeps of it. */
export const driftReferenceFeatureSchema = z.discriminatedUnion('kind', [
  z.object({ name: z.string().min(1), kind: z.literal('numeric'), statistics: numericStatisticsSchema }),
  z.object({ name: z.string().min(1), kind: z.literal('categorical'), statistics: categoricalStatisticsSchema }),
]);
export type DriftReferenceFeature = z.infer<typeof driftReferenceFeatureSchema>;

/**
 * What drift detection compares a model version's sampled inputs with, feature by feature (named as serving logs
 * them). A trained version's comes from its fitted transform; an imported version's is stored at import
 * (MEDIA_TYPES.driftReference), computed from the reference rows the user gave.
 */
export const driftReferenceSchema = z.object({
  version: z.literal(1),
  /** Rows of the reference data. */
  rows: z.number().int().positive(),
  features: z.array(driftReferenceFeatureSchema).min(1),
});
export type DriftReference = z.infer<typeof driftReferenceSchema>;
