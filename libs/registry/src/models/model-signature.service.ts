import { isImportedVersion, transformSchema, type ModelSignature, type TensorSignature } from '@slipway/contracts';
import type { ArtifactStore } from '@slipway/storage';
import type { ModelRegistryService } from './model-registry.service';
import { signatureOf } from './model-signature';

/**
 * A version's input/output schema. A trained version's is read from the transform artifact it was trained with: the
 * training result carries only the transform's digest, and the transform is the source of truth serving applies. An
 * imported version's tensors were read from the model at import.
 */
export class ModelSignatureService {
  constructor(
    private readonly registry: ModelRegistryService,
    private readonly artifacts: Pick<ArtifactStore, 'getJson'>,
  ) {}

  /** @throws ModelNotFoundError, ModelVersionNotFoundError, ArtifactNotFoundError */
  async getSignature(model: string, version: number): Promise<ModelSignature | TensorSignature> {
    const found = await this.registry.getVersion(model, version);
    if (isImportedVersion(found)) return found.signature;
    const digest = found.transformArtifact.digest;
    return signatureOf(await this.artifacts.getJson(digest, transformSchema), digest);
  }
}
