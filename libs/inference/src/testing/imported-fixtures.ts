import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { MEDIA_TYPES, type ImportedModelVersion, type TensorBatching } from '@slipway/contracts';
import { OnnxModel } from '@slipway/model-runtimes';
import type { ArtifactStore } from '@slipway/storage';

/** Test-only: the real exporters' ONNX models (libs/model-runtimes) stored as the importer stores them. */

const ONNX_FIXTURES = resolve(__dirname, '../../../model-runtimes/src/onnx/fixtures');

export interface OnnxFixtureRows {
  inputs: Record<string, number[][]>;
  label?: (string | number)[];
  probabilities?: number[][];
}

/** What the framework itself predicted for held-out rows of a fixture (its expected.json entry). */
export async function onnxFixtureRows(file: string): Promise<OnnxFixtureRows> {
  const { models } = JSON.parse(await readFile(resolve(ONNX_FIXTURES, 'expected.json'), 'utf8')) as { models: (OnnxFixtureRows & { file: string })[] };
  const found = models.find((model) => model.file === file);
  if (!found) throw new Error(`expected.json has no entry for ${file}`);
  return found;
}

/** Stores a fixture as `model.onnx` behind a files manifest and describes it as the registry hands an imported version to serving. */
export async function importedOnnxVersion(store: ArtifactStore, file: string, model: string, version: number, batching?: TensorBatching): Promise<ImportedModelVersion> {
  const bytes = await readFile(resolve(ONNX_FIXTURES, file));
  const stored = await store.put(bytes, MEDIA_TYPES.importedModelFile);
  const manifest = await store.putJson({ files: [{ path: OnnxModel.FILE, digest: stored.digest, size: stored.size }] }, MEDIA_TYPES.modelFiles);
  const runtime = await OnnxModel.load(bytes, file);
  const signature = { ...runtime.signature, classLabels: runtime.classLabels };
  await runtime.dispose();
  return {
    format: 'onnx',
    model,
    version,
    modelArtifact: manifest,
    signature,
    ...(batching ? { batching } : {}),
    source: { fileName: file, sha256: `sha256:${createHash('sha256').update(bytes).digest('hex')}`, importedBy: 'test', importedAt: new Date().toISOString() },
    aliases: [],
    createdAt: new Date().toISOString(),
  };
}
