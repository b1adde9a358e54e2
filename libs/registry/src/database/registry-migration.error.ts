export class RegistryMigrationError extends Error {
  override readonly name = 'RegistryMigrationError';
  constructor(
    /** The migration that failed, or null when the migrator failed before running one. */
    readonly migration: string | null,
    cause: unknown,
  ) {
    // Duck-typed rather than `instanceof Error`: driver errors can come from another realm (jest, workers).
    const reason = typeof cause === 'object' && cause !== null && 'message' in cause ? String(cause.message) : String(cause);
    super(
      migration === null
        ? `registry database migration failed before any migration ran: ${reason}`
        : `registry database migration "${migration}" failed: ${reason}`,
      { cause },
    );
  }
}
