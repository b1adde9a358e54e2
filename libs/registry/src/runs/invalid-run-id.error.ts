import { RUN_ID_PATTERN } from './run-id';

export class InvalidRunIdError extends Error {
  override readonly name = 'InvalidRunIdError';
  constructor(readonly runId: string) {
    super(`run id "${runId}" must match ${RUN_ID_PATTERN} (it becomes part of BullMQ job ids, which cannot contain ':')`);
  }
}
