/** A job's payload does not match its queue contract; retrying cannot fix it. */
export class InvalidJobError extends Error {
  override readonly name = 'InvalidJobError';
}
