/**
 * Base of the ml domain errors: the input (data, spec, installed packages) is wrong, so retrying the same
 * job cannot succeed. Workers turn these into BullMQ's UnrecoverableError instead of burning their attempts.
 */
export abstract class PermanentMlError extends Error {
  /** Marks the error as not worth retrying; see {@link isPermanentMlError}. */
  readonly permanent = true as const;
}

/** True for DatasetError, TransformInputError, ModelSpecError, BackendUnavailableError, ModelBundleError and CheckpointError. */
export function isPermanentMlError(error: unknown): error is PermanentMlError {
  return error instanceof PermanentMlError;
}
