import { ArtifactCorruptError, ArtifactNotFoundError } from '@slipway/storage';
import { BackendUnavailableError } from '../errors/backend-unavailable.error';
import { CheckpointError } from '../errors/checkpoint.error';
import { DatasetError } from '../errors/dataset.error';
import { ModelBundleError } from '../errors/model-bundle.error';
import { ModelSpecError } from '../errors/model-spec.error';
import { TransformInputError } from '../errors/transform-input.error';

/** An error as it crosses a thread boundary: structured clone keeps neither the class nor extra fields. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  /** The error's own primitive fields, e.g. ModelSpecError.field. */
  fields: Record<string, string | number | boolean>;
}

/** Classes that callers tell apart with instanceof, by the name they carry. */
const KNOWN_ERRORS: Record<string, { prototype: Error }> = {
  DatasetError,
  TransformInputError,
  ModelSpecError,
  BackendUnavailableError,
  ModelBundleError,
  CheckpointError,
  ArtifactNotFoundError,
  ArtifactCorruptError,
  TypeError,
  RangeError,
};

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: `non-Error value thrown: ${String(error)}`, fields: {} };
  const fields: SerializedError['fields'] = {};
  for (const [key, value] of Object.entries(error)) {
    if (key !== 'name' && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')) {
      fields[key] = value;
    }
  }
  return { name: error.name, message: error.message, stack: error.stack, fields };
}

/**
 * Re-creates the error on this side: an instance of the same class when it is a known one (so instanceof and
 * isPermanentMlError work), else a plain Error carrying the original name. Constructors are bypassed so the
 * message and fields stay exactly as thrown.
 */
export function rehydrateError(serialized: SerializedError): Error {
  const known = Object.hasOwn(KNOWN_ERRORS, serialized.name) ? KNOWN_ERRORS[serialized.name] : Error;
  const error = Object.create(known.prototype) as Error;
  Object.assign(error, serialized.fields);
  Object.defineProperties(error, {
    name: { value: serialized.name, enumerable: known !== Error, writable: true, configurable: true },
    message: { value: serialized.message, writable: true, configurable: true },
    stack: { value: serialized.stack, writable: true, configurable: true },
  });
  return error;
}
