/**
 * The model is one this replica should serve but nothing is loaded for it yet (first load running or failed):
 * the HTTP layer answers 503 so clients and load balancers retry elsewhere instead of treating it as gone.
 */
export class ModelNotReadyError extends Error {
  override readonly name = 'ModelNotReadyError';
  readonly statusCode = 503;

  constructor(
    readonly model: string,
    readonly requested: string,
  ) {
    super(`model "${model}" is not ready to serve "${requested}" yet: its version is still loading or failed to load`);
  }
}
