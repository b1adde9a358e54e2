/** What `GET /v2` says about this server: the protocol extensions it implements. */
export const SERVER_METADATA = {
  name: 'slipway-serving',
  version: '0.1.0',
  extensions: ['binary_tensor_data', 'model_configuration', 'model_repository', 'statistics'],
};
