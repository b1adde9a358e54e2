import { PermanentMlError } from './permanent-ml.error';

/** The model spec passed its schema but cannot be built or trained; `field` is its path, e.g. `layers.1.units`. */
export class ModelSpecError extends PermanentMlError {
  override readonly name = 'ModelSpecError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}
