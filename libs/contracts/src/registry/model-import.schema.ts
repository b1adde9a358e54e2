import { z } from 'zod';
import { ALIAS_NAME, MODEL_NAME, MODEL_NAME_RULE, NAME_RULE } from '../pipeline/pipeline-step.schema';
import { descriptionSchema, importedModelFormatSchema, importedModelVersionSchema, tagsSchema } from './model.schema';

export const modelNameSchema = z.string().regex(MODEL_NAME, `model names are ${MODEL_NAME_RULE}`);
/** Every path that names an alias (REST, imports, pipelines, serving) validates it with this, so protection compares exact names. */
export const aliasNameSchema = z.string().regex(ALIAS_NAME, `aliases are ${NAME_RULE}`);

/**
 * The form fields of POST /api/models/{name}/versions:import and POST /api/models:import, beside one file part per
 * uploaded file (its filename is the file's '/'-separated path, starting with the imported file's or folder's name).
 * Multipart fields are text, so `tags` travels as a JSON object.
 */
export const importFieldsSchema = z.strictObject({
  /** Absent: read from the files (a `.onnx` file; a model.json's `format`). */
  format: importedModelFormatSchema.optional(),
  /** Pointed at the imported version (for a Triton repository: at each model's newest one). */
  alias: aliasNameSchema.optional(),
  description: descriptionSchema.optional(),
  tags: z
    .string()
    .transform((text, context) => {
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        context.addIssue({ code: 'custom', message: `is not JSON: ${(error as Error).message}` });
        return z.NEVER;
      }
    })
    .pipe(tagsSchema)
    .optional(),
});
export type ImportFields = z.infer<typeof importFieldsSchema>;

/**
 * The name of the one optional file part of POST /api/models/{name}/versions:import that holds reference rows (a CSV
 * whose columns are the model's logged features) instead of a model file: drift monitoring compares with them.
 */
export const IMPORT_REFERENCE_PART = 'reference';

/** 201 when any version was created, 200 when the same files had all been imported before. */
export const importModelsResponseSchema = z.object({ versions: z.array(importedModelVersionSchema) });
export type ImportModelsResponse = z.infer<typeof importModelsResponseSchema>;
