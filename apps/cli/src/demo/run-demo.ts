import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PipelineSpec, Run, StepOfKind, V2InferResponse } from '@slipway/contracts';
import type { RegistryClient } from '@slipway/registry-client';
import { parse } from 'csv-parse/sync';
import { CliError, EXIT } from '../cli.error';
import { loadPipelineFile } from '../pipeline-file';
import { RunProgressDisplay } from '../run-progress';
import { watchRun } from '../run-watcher';

export const DEMO_PIPELINE = 'pipelines/iris.pipeline.json';

export interface DemoReport {
  run: Run;
  inferBody: unknown;
  prediction: V2InferResponse;
  expectedLabels: string[];
  timeToFirstPredictionMs: number;
}

interface DemoOptions {
  workspaceRoot: string;
  registry: RegistryClient;
  servingUrl: string;
  /** When `slipway up` started, for the time-to-first-prediction figure. */
  startedAt: number;
  onProgress: (line: string) => void;
}

/** Submits the Iris pipeline through the registry API, follows it, waits for serving to load the new version, and predicts. */
export async function runDemo(options: DemoOptions): Promise<DemoReport> {
  const pipeline = await loadPipelineFile(join(options.workspaceRoot, DEMO_PIPELINE));
  const dataset = demoDatasetUri(pipeline);
  const submitted = await options.registry.submitRun({ pipeline });
  options.onProgress(`\ndemo run ${submitted.id} submitted (${DEMO_PIPELINE})`);
  const display = new RunProgressDisplay();
  const run = await watchRun(options.registry, submitted.id, (update) => display.update(update));
  if (run.status !== 'succeeded' || !run.modelVersion) {
    throw new CliError(`demo run ${run.id} ${run.status}: ${run.error ?? 'no model version registered'}`, EXIT.runFailed);
  }
  const { modelVersion } = run;
  if (!run.promotedTo) {
    throw new CliError(`demo model ${modelVersion.model} v${modelVersion.version} did not reach the promotion threshold, so nothing is served`, EXIT.runFailed);
  }
  await waitForServedVersion(options.servingUrl, modelVersion.model, modelVersion.version);
  const { body, expectedLabels } = await heldOutRows(options.workspaceRoot, dataset);
  const prediction = await infer(options.servingUrl, modelVersion.model, body);
  return { run, inferBody: body, prediction, expectedLabels, timeToFirstPredictionMs: performance.now() - options.startedAt };
}

/** The data set the demo model learnt from: the source of the pipeline's first prepare step. */
function demoDatasetUri(pipeline: PipelineSpec): string {
  const prepare = pipeline.steps.find((step): step is StepOfKind<'prepare'> => step.kind === 'prepare');
  if (!prepare) throw new CliError(`${DEMO_PIPELINE} has no prepare step, so the demo has no rows to predict`, EXIT.usage);
  return prepare.params.dataset.uri;
}

/** Serving reloads on the alias-changed message; wait until it answers with the new version. */
async function waitForServedVersion(servingUrl: string, model: string, version: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const response = await fetch(`${servingUrl}/v2/models/${model}`).catch(() => undefined);
    if (response?.ok) {
      const metadata = (await response.json()) as { versions?: string[] };
      if (metadata.versions?.includes(String(version))) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new CliError(`serving did not load ${model} v${version} within 60 s; see .slipway/logs/serving.log`, EXIT.runFailed);
}

/** Three rows of the data set, one per species, as a V2 request with one input per feature column. */
async function heldOutRows(workspaceRoot: string, datasetUri: string): Promise<{ body: unknown; expectedLabels: string[] }> {
  const rows = parse(await readFile(join(workspaceRoot, datasetUri), 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const picked = ['setosa', 'versicolor', 'virginica'].map((species) => rows.filter((row) => row['species'] === species).at(-1)).filter((row) => row !== undefined);
  const features = Object.keys(picked[0] ?? {}).filter((column) => column !== 'species');
  return {
    body: {
      id: 'slipway-demo',
      inputs: features.map((name) => ({ name, datatype: 'FP32', shape: [picked.length], data: picked.map((row) => Number(row[name])) })),
    },
    expectedLabels: picked.map((row) => row['species'] ?? ''),
  };
}

async function infer(servingUrl: string, model: string, body: unknown): Promise<V2InferResponse> {
  const response = await fetch(`${servingUrl}/v2/models/${model}/infer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await response.json()) as V2InferResponse & { error?: string };
  if (!response.ok) throw new CliError(`prediction failed (${response.status}): ${json.error ?? 'no reason given'}`, EXIT.runFailed);
  return json;
}
