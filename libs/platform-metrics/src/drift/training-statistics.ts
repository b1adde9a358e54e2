import { transformSchema, type Transform } from '@slipway/contracts';
import type { RegistryClient } from '@slipway/registry-client';
import type { ArtifactStore } from '@slipway/storage';

/** The fitted transform (with the training statistics drift compares against) of a model version, read once per version. */
export class TrainingStatistics {
  private readonly cache = new Map<string, Promise<Transform>>();

  constructor(
    private readonly registry: Pick<RegistryClient, 'getModel'>,
    private readonly store: Pick<ArtifactStore, 'getJson'>,
  ) {}

  /** Rejects naming the model version (and digest) when the registry or the artifact store cannot give it; a later call tries again. */
  transformOf(model: string, version: number): Promise<Transform> {
    const key = `${model}@${version}`;
    let loading = this.cache.get(key);
    if (!loading) {
      loading = this.load(model, version);
      this.cache.set(key, loading);
      loading.catch(() => this.cache.delete(key));
    }
    return loading;
  }

  private async load(model: string, version: number): Promise<Transform> {
    const registered = await this.registry.getModel(model);
    const found = registered.versions.find((v) => v.version === version);
    if (!found) throw new Error(`${model}@${version} is not in the registry (versions: ${registered.versions.map((v) => v.version).join(', ') || 'none'})`);
    if (found.format !== 'slipway-tfjs') throw new Error(`${model}@${version} is an imported ${found.format} model: it has no training statistics to compare against`);
    return this.store.getJson(found.transformArtifact.digest, transformSchema);
  }
}
