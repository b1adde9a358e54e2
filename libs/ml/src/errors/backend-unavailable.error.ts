import type { TfBackend } from '@slipway/contracts';
import { PermanentMlError } from './permanent-ml.error';

/** An explicitly requested TensorFlow.js backend cannot start here (package missing or native library broken). */
export class BackendUnavailableError extends PermanentMlError {
  override readonly name = 'BackendUnavailableError';
  constructor(
    message: string,
    readonly backend: TfBackend,
    readonly packageName: string,
  ) {
    super(message);
  }
}
