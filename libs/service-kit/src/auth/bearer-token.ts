import { AuthenticationRequiredError } from './authentication-required.error';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * The token of an `Authorization: Bearer <token>` header; undefined when there is no header.
 * @throws AuthenticationRequiredError for any other scheme or shape
 */
export function bearerTokenOf(authorization: string | undefined): string | undefined {
  if (authorization === undefined || authorization.trim() === '') return undefined;
  const token = BEARER.exec(authorization)?.[1];
  if (token === undefined) throw new AuthenticationRequiredError('the Authorization header must be "Bearer <token>"');
  return token;
}
