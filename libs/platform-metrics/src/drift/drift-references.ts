import { driftReferenceSchema, isTrainedVersion, transformSchema, type DriftReferenceFeature } from '@slipway/contracts';
import type { RegistryClient } from '@slipway/registry-client';
import type { ArtifactStore } from '@slipway/storage';
import { transformReference } from './transform-reference';

/**
 * What drift compares a model version's inputs with, read once per version: a trained version's training statistics
 * (from its fitted transform), an imported version's drift reference (computed from the rows given at import).
 */
export class DriftReferences {
  private readonly cache = new Map<string, Promise<DriftReferenceFeature[]>>();

  constructor(
    private readonly registry: Pick<RegistryClient, 'getModel'>,
    private readonly store: Pick<ArtifactStore, 'getJson'>,
  ) {}

  /**
   * Rejects naming the model version (and digest) when the registry or the artifact store cannot give it, or when an
   * imported version has none; a later call tries again.
   */
  referenceOf(model: string, version: number): Promise<DriftReferenceFeature[]> {
    const key = `${model}@${version}`;
    let loading = this.cache.get(key);
    if (!loading) {
      loading = this.load(model, version);
      this.cache.set(key, loading);
      loading.catch(() => this.cache.delete(key));
    }
    return loading;
  }

  private async load(model: string, version: number): Promise<DriftReferenceFeature[]> {
    const registered = await this.registry.getModel(model);
    const found = registered.versions.find((v) => v.version === version);
    if (!found) throw new Error(`${model}@${version} is not in the registry (versions: ${registered.versions.map((v) => v.version).join(', ') || 'none'})`);
    if (isTrainedVersion(found)) return transformReference(await this.store.getJson(found.transformArtifact.digest, transformSchema));
    if (!found.driftReference) {
      throw new Error(`${model}@${version} is an ${found.format} model imported without --reference: it has no reference rows to compare against`);
    }
    return (await this.store.getJson(found.driftReference.digest, driftReferenceSchema)).features;
  }
}
