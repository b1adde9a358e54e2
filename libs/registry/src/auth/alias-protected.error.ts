/** A valid token lacks the right to move or delete a protected alias (HTTP 403). */
export class AliasProtectedError extends Error {
  override readonly name = 'AliasProtectedError';
  constructor(
    readonly model: string,
    readonly alias: string,
    readonly actor: string,
    readonly requiredRight: string,
  ) {
    super(`alias "${alias}" of model "${model}" is protected: token "${actor}" lacks the right ${requiredRight} (or promote:*) needed to move or delete it`);
  }
}
