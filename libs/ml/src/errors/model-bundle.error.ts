import { PermanentMlError } from './permanent-ml.error';

/** A model and a transform that do not belong together (input width or class count differ). */
export class ModelBundleError extends PermanentMlError {
  override readonly name = 'ModelBundleError';
}
