import { INFERENCE_QUALITY_PARAMETERS, ROUTE_HEADER, SERVED_BY_HEADER, v2InferRequestSchema, v2RepositoryLoadRequestSchema, v2RepositoryUnloadRequestSchema } from '@slipway/contracts';
import { ACCEPTED_CONTENT_ENCODINGS, LIMIT_VARIABLES, MAX_TENSOR_RANK } from '@slipway/inference';
import { z } from 'zod';
import { SERVER_METADATA } from '../v2/server-metadata';

const json = (schema: object) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const error = (description: string) => ({ description, content: json(ref('Error')) });
const ok = (description: string, schema: object) => ({ description, content: json(schema) });
const modelParam = { name: 'model', in: 'path', required: true, schema: { type: 'string' } };
const versionParam = { name: 'version', in: 'path', required: true, description: 'A version number or an alias this replica serves', schema: { type: 'string' } };
const routeHeader = { name: ROUTE_HEADER, in: 'header', required: false, description: 'Pins the request to an alias or version, bypassing the traffic split', schema: { type: 'string' } };

const contentEncodingHeader = {
  name: 'Content-Encoding',
  in: 'header',
  required: false,
  description: `The body's compression: ${ACCEPTED_CONTENT_ENCODINGS.join(', ')} (tritonclient's request_compression_algorithm); the body limit counts the decompressed bytes`,
  schema: { enum: [...ACCEPTED_CONTENT_ENCODINGS] },
};
const tooLarge = error(
  `Over a per-request limit, named in the message: the body's bytes after decompression (${LIMIT_VARIABLES.bodyBytes}, 16 MiB by default), its rows (${LIMIT_VARIABLES.rows}, 10000) or tensor values (${LIMIT_VARIABLES.elements}, 1000000)`,
);
const unsupportedEncoding = error('A Content-Encoding other than gzip or deflate');

const tensorMetadata = { type: 'object', required: ['name', 'datatype', 'shape'], properties: { name: { type: 'string' }, datatype: { type: 'string' }, shape: { type: 'array', items: { type: 'integer' } } } };

const inferOperation = (parameters: object[]) => ({
  summary: 'Inference (Open Inference Protocol V2); JSON or binary tensor extension',
  parameters: [...parameters, routeHeader, contentEncodingHeader, { name: 'Inference-Header-Content-Length', in: 'header', required: false, description: 'Length of the JSON header of a binary request', schema: { type: 'integer' } }],
  requestBody: {
    required: true,
    content: { 'application/json': { schema: ref('InferenceRequest') }, 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
  },
  responses: {
    200: {
      description: 'Outputs: a classifier answers probabilities (FP32 [N, classes]) and label (BYTES [N]), a regressor prediction (FP32 [N])',
      headers: { [SERVED_BY_HEADER]: { description: 'model@version that answered', schema: { type: 'string' } } },
      content: { 'application/json': { schema: ref('InferenceResponse') }, 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
    },
    400: error(`Bad input; the message names the input or field: a value outside its datatype's range (INT8 from -128 to 127, FP32 finite within float32's range, …), data nested deeper than its shape (at most ${MAX_TENSOR_RANK} dimensions), corrupt compressed data`),
    404: error('Unknown model or version'),
    413: tooLarge,
    415: unsupportedEncoding,
    429: { ...error('The model queue is full'), headers: { 'Retry-After': { schema: { type: 'integer' } } } },
    503: error('The model is not ready yet'),
  },
});

const modelOperations = (suffix: string, parameters: object[]) => ({
  [`/v2/models/{model}${suffix}`]: {
    get: { summary: 'Model metadata', parameters, responses: { 200: ok('Metadata', ref('ModelMetadata')), 404: error('Unknown model or version'), 503: error('Not ready') } },
  },
  [`/v2/models/{model}${suffix}/ready`]: {
    get: { summary: 'Model readiness', parameters, responses: { 200: ok('Ready', { type: 'object', properties: { name: { type: 'string' }, ready: { type: 'boolean' } } }), 404: error('Unknown model'), 503: error('Not ready') } },
  },
  [`/v2/models/{model}${suffix}/infer`]: { post: inferOperation(parameters) },
  [`/v2/models/{model}${suffix}/config`]: {
    get: { summary: 'Model configuration (Triton model configuration extension)', parameters, responses: { 200: ok('Configuration', ref('ModelConfig')), 404: error('Unknown model or version') } },
  },
  [`/v2/models/{model}${suffix}/stats`]: {
    get: { summary: 'Statistics (Triton statistics extension)', parameters, responses: { 200: ok('Statistics', ref('ModelStatistics')), 404: error('Unknown model') } },
  },
});

const formRefused = error('A form content type (application/x-www-form-urlencoded, multipart/form-data, text/plain), which a cross-site page could send');
const repositoryBody = (schema: z.ZodType) => ({ required: false, content: json(z.toJSONSchema(schema, { io: 'input' })) });

/** OpenAPI 3.1 description of every serving endpoint; the request schemas come from the contracts' zod schemas. */
export function buildOpenApiDocument(): object {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Slipway serving',
      version: SERVER_METADATA.version,
      description: 'Open Inference Protocol (KServe V2) and KServe V1 REST APIs. A known path asked with a method it does not take answers 405 with an Allow header.',
    },
    paths: {
      '/': { get: { summary: 'KServe V1 liveness', responses: { 200: ok('Alive', { type: 'object', properties: { status: { const: 'alive' } } }) } } },
      '/v2': { get: { summary: 'Server metadata', responses: { 200: ok('Name, version, extensions', { type: 'object', properties: { name: { type: 'string' }, version: { type: 'string' }, extensions: { type: 'array', items: { type: 'string' } } } }) } } },
      '/v2/health/live': { get: { summary: 'Server liveness', responses: { 200: ok('Live', { type: 'object', properties: { live: { type: 'boolean' } } }) } } },
      '/v2/health/ready': { get: { summary: 'Server readiness', responses: { 200: ok('Ready', { type: 'object', properties: { ready: { type: 'boolean' } } }), 503: ok('Not ready', { type: 'object', properties: { ready: { type: 'boolean' } } }) } } },
      '/v2/models/stats': { get: { summary: 'Statistics of every model', responses: { 200: ok('Statistics', ref('ModelStatistics')) } } },
      ...modelOperations('', [modelParam]),
      ...modelOperations('/versions/{version}', [modelParam, versionParam]),
      '/v2/repository/index': { post: { summary: 'Model repository index', responses: { 200: ok('Versions and their state', { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, version: { type: 'string' }, state: { enum: ['READY', 'UNAVAILABLE'] }, reason: { type: 'string' } } } }) } } },
      '/v2/repository/models/{model}/load': {
        post: {
          summary: 'Load a model (its served aliases), also one unloaded with keep_unloaded',
          parameters: [modelParam],
          requestBody: repositoryBody(v2RepositoryLoadRequestSchema),
          responses: { 200: ok('Loaded', { type: 'object' }), 400: error('A body that is not the schema\'s'), 404: error('The registry has no served version of the model'), 415: formRefused },
        },
      },
      '/v2/repository/models/{model}/unload': {
        post: {
          summary: 'Unload a model from this replica',
          description:
            'In-flight requests finish first. The registry\'s aliases still want the model, so the reconcile scheduled at once loads it again, and until then the replica is not ready (GET /v2/health/ready 503, slipway_model_ready 0). With parameters.keep_unloaded it stays unloaded, and out of readiness, until a load request.',
          parameters: [modelParam],
          requestBody: repositoryBody(v2RepositoryUnloadRequestSchema),
          responses: { 200: ok('Unloaded', { type: 'object' }), 400: error('A body that is not the schema\'s'), 404: error('Neither loaded nor served here'), 415: formRefused },
        },
      },
      '/v1/models': { get: { summary: 'KServe V1 model list', responses: { 200: ok('Models', { type: 'object', properties: { models: { type: 'array', items: { type: 'string' } } } }) } } },
      '/v1/models/{model}': { get: { summary: 'KServe V1 model readiness', parameters: [modelParam], responses: { 200: ok('Ready', { type: 'object', properties: { name: { type: 'string' }, ready: { type: 'boolean' } } }), 404: error('Unknown model'), 503: error('Not ready') } } },
      '/v1/models/{model}:predict': {
        post: {
          summary: 'KServe V1 prediction: one label (a classifier) or number (a regressor) per instance',
          parameters: [modelParam, routeHeader, contentEncodingHeader],
          requestBody: { required: true, content: json({ type: 'object', required: ['instances'], properties: { instances: { type: 'array', items: { oneOf: [{ type: 'array' }, { type: 'object' }] } } } }) },
          responses: {
            200: ok('Predictions: a label per instance (classifier) or a value (regressor)', { type: 'object', properties: { predictions: { type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'number' }] } } } }),
            400: error('Bad instances'),
            404: error('Unknown model'),
            413: tooLarge,
            415: unsupportedEncoding,
          },
        },
      },
      '/openapi.json': { get: { summary: 'This document', responses: { 200: ok('OpenAPI 3.1', { type: 'object' }) } } },
    },
    components: {
      schemas: {
        Error: { type: 'object', required: ['error'], properties: { error: { type: 'string' } } },
        InferenceRequest: z.toJSONSchema(v2InferRequestSchema, { io: 'input' }),
        InferenceResponse: {
          type: 'object',
          required: ['model_name', 'outputs'],
          properties: {
            model_name: { type: 'string' },
            model_version: { type: 'string' },
            id: { type: 'string' },
            parameters: {
              type: 'object',
              description: 'Present when the transform stood in for input values',
              properties: {
                [INFERENCE_QUALITY_PARAMETERS.imputed]: { type: 'integer', description: 'Missing values (null or an input left out) imputed' },
                [INFERENCE_QUALITY_PARAMETERS.unseen]: { type: 'integer', description: 'Categories the model never saw in training' },
              },
            },
            outputs: {
              type: 'array',
              description: 'A classifier: probabilities (FP32 [N, classes]) and label (BYTES [N]); a regressor: prediction (FP32 [N]) in the label\'s units',
              items: { ...tensorMetadata, properties: { ...tensorMetadata.properties, parameters: { type: 'object' }, data: { type: 'array' } } },
            },
          },
        },
        ModelMetadata: {
          type: 'object',
          properties: { name: { type: 'string' }, versions: { type: 'array', items: { type: 'string' } }, platform: { type: 'string' }, inputs: { type: 'array', items: tensorMetadata }, outputs: { type: 'array', items: tensorMetadata }, parameters: { type: 'object', description: 'class_labels of an imported classifier' } },
        },
        ModelStatistics: { type: 'object', properties: { model_stats: { type: 'array', items: { type: 'object' } } } },
        ModelConfig: {
          type: 'object',
          description: "Triton's ModelConfig as JSON: dims leave out the batch dimension when max_batch_size > 0",
          properties: {
            name: { type: 'string' },
            platform: { type: 'string' },
            max_batch_size: { type: 'integer' },
            input: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, data_type: { type: 'string' }, dims: { type: 'array', items: { type: 'integer' } } } } },
            output: { type: 'array', items: { type: 'object' } },
            dynamic_batching: { type: 'object', properties: { max_queue_delay_microseconds: { type: 'integer' } } },
          },
        },
      },
    },
  };
}
