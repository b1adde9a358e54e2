import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelFiles } from '../tensor-model';

/**
 * Test-only: the TensorFlow.js models the real tensorflowjs converter wrote, and what Keras or TensorFlow predicted for
 * held-out rows (tools/python/tfjs-fixtures/make_fixtures.py regenerates them).
 */

const TFJS_FIXTURES = join(__dirname, '../tfjs/fixtures');

/** A fixture's files by their name in its folder (model.json and its weight shards). */
export async function tfjsFixtureFiles(folder: string): Promise<Map<string, Uint8Array>> {
  const names = await readdir(join(TFJS_FIXTURES, folder));
  return new Map(await Promise.all(names.map(async (name) => [name, await readFile(join(TFJS_FIXTURES, folder, name))] as const)));
}

export interface TfjsFixtureRows {
  folder: string;
  inputs: { features: number[][] };
  probabilities: number[][];
  /** A Graph model's argmax output. */
  label?: number[];
}

/** A fixture's held-out rows and the framework's own predictions for them (its expected.json entry). */
export async function tfjsFixtureRows(folder: string): Promise<TfjsFixtureRows> {
  const { models } = JSON.parse(await readFile(join(TFJS_FIXTURES, 'expected.json'), 'utf8')) as { models: TfjsFixtureRows[] };
  const found = models.find((model) => model.folder === folder);
  if (!found) throw new Error(`expected.json has no entry for ${folder}`);
  return found;
}

/** The files with one left out. */
export function without(files: ModelFiles, path: string): ModelFiles {
  return new Map([...files].filter(([name]) => name !== path));
}
