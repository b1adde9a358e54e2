import { MEDIA_TYPES, type ArtifactRef, type ModelFilesManifest } from '@slipway/contracts';
import type { ArtifactStore } from '@slipway/storage';
import type { ModelFolder } from './model-folder';

export interface StoredModelFiles {
  /** The manifest (MEDIA_TYPES.modelFiles): the version's `modelArtifact`, whose digest identifies the import. */
  manifest: ArtifactRef;
  /** sha256 of the model file itself (model.onnx, model.json). */
  modelFileDigest: string;
}

/** Puts every file of the model in the artifact store, then the manifest listing them by path. */
export async function storeModelFiles(artifacts: Pick<ArtifactStore, 'put' | 'putJson'>, folder: ModelFolder): Promise<StoredModelFiles> {
  const files: ModelFilesManifest['files'] = [];
  for (const [path, bytes] of [...folder.files].sort(([left], [right]) => left.localeCompare(right))) {
    const { digest, size } = await artifacts.put(bytes, MEDIA_TYPES.importedModelFile);
    files.push({ path, digest, size });
  }
  const manifest: ModelFilesManifest = { files };
  const modelFile = files.find((file) => file.path === folder.modelFile);
  if (!modelFile) throw new Error(`the files of the model have no ${folder.modelFile}`);
  return { manifest: await artifacts.putJson(manifest, MEDIA_TYPES.modelFiles), modelFileDigest: modelFile.digest };
}
