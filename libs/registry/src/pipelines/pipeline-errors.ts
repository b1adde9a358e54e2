/** A submitted run that could never run as asked; names the request field at fault. Nothing is recorded or queued. */
export class PipelineSubmissionError extends Error {
  override readonly name = 'PipelineSubmissionError';

  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** A run (or its pipeline) has no step of that name. */
export class UnknownStepError extends Error {
  override readonly name = 'UnknownStepError';

  constructor(
    readonly owner: string,
    readonly step: string,
  ) {
    super(`${owner} has no step "${step}"`);
  }
}
