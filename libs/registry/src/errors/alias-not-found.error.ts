import { RegistryNotFoundError } from './registry-not-found.error';

export class AliasNotFoundError extends RegistryNotFoundError {
  override readonly name = 'AliasNotFoundError';
  constructor(readonly model: string, readonly alias: string) {
    super(`model "${model}" has no alias "${alias}"`);
  }
}
