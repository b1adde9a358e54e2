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

/** A fixture's held-out rows and, by output name, what the framework answered for them. */
export interface TfjsFixtureRows {
  folder: string;
  inputs: { features: number[][] };
  probabilities?: number[][];
  label?: number[];
  scaled?: number[][];
}

/** A fixture's expected.json entry. */
export async function tfjsFixtureRows(folder: string): Promise<TfjsFixtureRows> {
  const { models } = JSON.parse(await readFile(join(TFJS_FIXTURES, 'expected.json'), 'utf8')) as { models: TfjsFixtureRows[] };
  const found = models.find((model) => model.folder === folder);
  if (!found) throw new Error(`expected.json has no entry for ${folder}`);
  return found;
}

/** What the framework answered for one output of a fixture. */
export function expectedOutput<Output extends 'probabilities' | 'label' | 'scaled'>(rows: TfjsFixtureRows, output: Output): NonNullable<TfjsFixtureRows[Output]> {
  const values = rows[output];
  if (values === undefined) throw new Error(`expected.json's ${rows.folder} entry has no ${output}`);
  return values as NonNullable<TfjsFixtureRows[Output]>;
}

/** The largest difference between an answer's values and what the framework answered. */
export function largestDifference(answer: { data: readonly unknown[] } | undefined, expected: readonly number[][]): number {
  return Math.max(...expected.flat().map((value, index) => Math.abs(Number(answer?.data[index]) - value)));
}

/** The files with one left out. */
export function without(files: ModelFiles, path: string): ModelFiles {
  return new Map([...files].filter(([name]) => name !== path));
}
