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

/** An Idempotency-Key sent again with a different request (HTTP 422): the key names one submission, not a slot. */
export class IdempotencyKeyReusedError extends Error {
  override readonly name = 'IdempotencyKeyReusedError';

  constructor(
    readonly key: string,
    readonly runId: string,
  ) {
    super(`Idempotency-Key "${key}" was already used to submit run "${runId}" with a different pipeline, experiment or noCache; send a new key for a new run`);
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

/** The step queue (Redis) does not answer, so a run was refused before anything was recorded: submit it again later. */
export class QueueUnavailableError extends Error {
  override readonly name = 'QueueUnavailableError';
  /** Redis restarts within seconds under `slipway up` or Kubernetes. */
  readonly retryAfterSeconds = 5;

  constructor(cause: unknown) {
    super(`queue (Redis) unavailable: ${cause instanceof Error ? cause.message : String(cause)}; nothing was recorded, submit again once Redis answers`, { cause });
  }
}

/** The run is recorded but its steps could not be queued (Redis unreachable): the run is failed, so it can be resumed. */
export class StepQueueUnavailableError extends Error {
  override readonly name = 'StepQueueUnavailableError';

  constructor(
    readonly runId: string,
    cause: unknown,
  ) {
    super(`run "${runId}" is recorded but its steps could not be queued (${cause instanceof Error ? cause.message : String(cause)}); it is failed and can be resumed`, { cause });
  }
}

/** A model has no figure of the metric a step judges it by: no validation split, or a metric of the other task. */
export class MissingMetricError extends Error {
  override readonly name = 'MissingMetricError';

  constructor(
    readonly runId: string,
    readonly step: string,
    readonly metric: string,
  ) {
    super(`step "${step}" of run "${runId}" has no ${metric}: its data set has no such split, or its model is of a task without that metric`);
  }
}
