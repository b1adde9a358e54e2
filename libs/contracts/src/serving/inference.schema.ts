import { z } from 'zod';

/** Open Inference Protocol (KServe V2) tensor datatypes. */
export const V2_DATATYPES = [
  'BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64', 'BYTES',
] as const;
export const v2DatatypeSchema = z.enum(V2_DATATYPES);
export type V2Datatype = z.infer<typeof v2DatatypeSchema>;

const tensorDataSchema = z.array(z.unknown());

export const v2InferInputSchema = z.object({
  name: z.string().min(1),
  shape: z.array(z.number().int().nonnegative()).min(1),
  datatype: v2DatatypeSchema,
  parameters: z.record(z.string(), z.unknown()).optional(),
  data: tensorDataSchema,
});
export type V2InferInput = z.infer<typeof v2InferInputSchema>;

export const v2RequestedOutputSchema = z.object({
  name: z.string().min(1),
  parameters: z.record(z.string(), z.unknown()).optional(),
});

export const v2InferRequestSchema = z.object({
  id: z.string().optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
  inputs: z.array(v2InferInputSchema).min(1),
  outputs: z.array(v2RequestedOutputSchema).optional(),
});
export type V2InferRequest = z.infer<typeof v2InferRequestSchema>;

export interface V2InferOutput {
  name: string;
  shape: number[];
  datatype: V2Datatype;
  parameters?: Record<string, unknown>;
  data: number[] | string[] | boolean[];
}

export interface V2InferResponse {
  model_name: string;
  model_version?: string;
  id?: string;
  parameters?: Record<string, unknown>;
  outputs: V2InferOutput[];
}

export interface V2TensorMetadata {
  name: string;
  datatype: V2Datatype;
  /** -1 marks a variable dimension (the batch). */
  shape: number[];
}

export interface V2ModelMetadata {
  name: string;
  versions: string[];
  platform: string;
  inputs: V2TensorMetadata[];
  outputs: V2TensorMetadata[];
  /** Slipway's extension: `class_labels` of an imported classifier's probability outputs. */
  parameters?: Record<string, unknown>;
}

/** Output tensor names of every Slipway classifier. */
export const CLASSIFIER_OUTPUTS = { probabilities: 'probabilities', label: 'label' } as const;

/** Output tensor name of every Slipway regressor: the predicted value in the label's units (FP32 `[N]`). */
export const REGRESSOR_OUTPUTS = { prediction: 'prediction' } as const;

/**
 * Response `parameters` serving adds when a request held values the transform had to stand in for: missing (null or
 * absent) values it imputed, and categories it never saw in training, which encode as none of the known ones.
 */
export const INFERENCE_QUALITY_PARAMETERS = { imputed: 'slipway_imputed_values', unseen: 'slipway_unseen_categories' } as const;
