/** A stored JSON column no longer matches its contract: hand-edited data or a missing migration. */
export class CorruptRecordError extends Error {
  override readonly name = 'CorruptRecordError';
  constructor(readonly location: string, reason: string) {
    super(`${location} does not hold a valid value: ${reason}`);
  }
}
