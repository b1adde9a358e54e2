import { artifactRefSchema } from '@slipway/contracts';
import { z } from 'zod';

/** The stored form of a tfjs layers model: topology and weight layout as JSON, weights as a separate blob. */
export const modelManifestSchema = z.object({
  version: z.literal(1),
  /** tfjs's format name, "layers-model". */
  format: z.string(),
  modelTopology: z.record(z.string(), z.unknown()),
  weightSpecs: z.array(
    z.object({
      name: z.string(),
      shape: z.array(z.number().int().nonnegative()),
      dtype: z.enum(['float32', 'int32', 'bool', 'string', 'complex64']),
    }),
  ),
  weights: artifactRefSchema,
});
export type ModelManifest = z.infer<typeof modelManifestSchema>;
