/** One row of the alias audit log: who pointed which alias from where to where, and when. */
export interface AliasAuditEntry {
  model: string;
  alias: string;
  /** null when the alias was created */
  fromVersion: number | null;
  /** null when the alias was deleted */
  toVersion: number | null;
  /** `system`, a user name, or `run:<runId>` for an automatic promotion */
  actor: string;
  at: string;
}
