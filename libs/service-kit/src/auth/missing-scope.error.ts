/** A valid token lacks the scope an action needs (HTTP 403). */
export class MissingScopeError extends Error {
  override readonly name = 'MissingScopeError';
  constructor(
    readonly actor: string,
    readonly scope: string,
    readonly action: string,
  ) {
    super(`token "${actor}" lacks the scope ${scope}${scope === 'admin' ? '' : ' (or admin)'} needed to ${action}`);
  }
}
