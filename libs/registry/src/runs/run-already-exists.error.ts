export class RunAlreadyExistsError extends Error {
  override readonly name = 'RunAlreadyExistsError';
  constructor(readonly runId: string) {
    super(`run "${runId}" already exists`);
  }
}
