/**
 * A state-changing request sent with a content type an HTML form can send (HTTP 415): browsers post those cross-site
 * without asking, so no change is ever made from one.
 */
export class FormContentTypeError extends Error {
  override readonly name = 'FormContentTypeError';
  constructor(contentType: string, method: string, path: string) {
    super(`${method} ${path} does not accept Content-Type ${contentType}: send application/json`);
  }
}
