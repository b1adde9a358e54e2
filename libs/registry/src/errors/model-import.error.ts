/** Uploaded files the registry cannot import as a model; the message names the file or field and what is wrong. */
export class ModelImportError extends Error {
  override readonly name = 'ModelImportError';
}
