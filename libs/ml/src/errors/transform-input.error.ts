import { PermanentMlError } from './permanent-ml.error';

/** A value handed to the fitted transform cannot be encoded; names the feature and, when known, the row. */
export class TransformInputError extends PermanentMlError {
  override readonly name = 'TransformInputError';
  constructor(
    message: string,
    readonly feature: string,
    /** 0-based index of the offending row, when the problem is one value. */
    readonly row?: number,
  ) {
    super(message);
  }
}
