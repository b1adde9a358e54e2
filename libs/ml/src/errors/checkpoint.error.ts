import { PermanentMlError } from './permanent-ml.error';

/** A training checkpoint that does not belong to the training asked to resume from it (other dataset, epoch count or layout). */
export class CheckpointError extends PermanentMlError {
  override readonly name = 'CheckpointError';

  constructor(
    message: string,
    /** Digest of the checkpoint manifest. */
    readonly digest: string,
  ) {
    super(message);
  }
}
