import { RegistryNotFoundError } from './registry-not-found.error';

export class ModelNotFoundError extends RegistryNotFoundError {
  override readonly name = 'ModelNotFoundError';
  constructor(readonly model: string) {
    super(`model "${model}" is not registered`);
  }
}
