/** Loading or warming a model version failed; the cause says which artifact or check. */
export class ModelLoadError extends Error {
  override readonly name = 'ModelLoadError';

  constructor(
    readonly model: string,
    readonly version: number,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`cannot load model "${model}" version ${version}: ${reason}`, options);
  }
}
