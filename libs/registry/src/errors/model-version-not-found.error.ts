import { RegistryNotFoundError } from './registry-not-found.error';

export class ModelVersionNotFoundError extends RegistryNotFoundError {
  override readonly name = 'ModelVersionNotFoundError';
  constructor(readonly model: string, readonly version: number) {
    super(`model "${model}" has no version ${version}`);
  }
}
