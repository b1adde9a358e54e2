/**
 * The model is one this replica should serve but nothing is loaded for it yet (first load running or failed): a
 * passing state, unlike a model this replica does not serve at all (ModelNotFoundError).
 */
export class ModelNotReadyError extends Error {
  override readonly name = 'ModelNotReadyError';

  constructor(
    readonly model: string,
    readonly requested: string,
  ) {
    super(`model "${model}" is not ready to serve "${requested}" yet: its version is still loading or failed to load`);
  }
}
