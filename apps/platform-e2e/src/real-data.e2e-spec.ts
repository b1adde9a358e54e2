import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CLASSIFIER_OUTPUTS,
  INFERENCE_QUALITY_PARAMETERS,
  metricValue,
  REGRESSOR_OUTPUTS,
  type ColumnReport,
  type MetricRef,
  type PipelineSpecInput,
  type Run,
  type TrainedModelVersion,
  type V2InferResponse,
  type V2ModelMetadata,
} from '@slipway/contracts';
import { sampleValue, waitFor } from '@slipway/testing';
import { parse } from 'yaml';
import { getJson, postJson } from './support/http';
import { startPlatformUnderTest, WORKSPACE_ROOT, type PlatformUnderTest } from './support/platform-under-test';
import { submitRun, waitForRunToFinish } from './support/runs';

/** A pipeline of `pipelines/` that trains on a public data set of `data/` (sources and licenses in data/README.md). */
const pipelineFile = async (name: string): Promise<PipelineSpecInput> => parse(await readFile(join(WORKSPACE_ROOT, 'pipelines', name), 'utf8')) as PipelineSpecInput;

/** A figure of the run's model. @throws when the run has no model metrics or the model no such figure */
function metricOf(run: Run, ref: MetricRef): number {
  const value = run.metrics === null ? undefined : metricValue(run.metrics, ref);
  if (value === undefined) throw new Error(`run ${run.id} has no ${ref} (metrics: ${JSON.stringify(run.metrics)})`);
  return value;
}

describe('real data over real HTTP: messy tables, regression, class weights, forests', () => {
  let platform: PlatformUnderTest;
  let registry: string;
  let serving: string;

  beforeAll(async () => {
    platform = await startPlatformUnderTest({ env: { SLIPWAY_SERVING_ALIASES: 'production' } });
    registry = platform.urls['model-registry'];
    serving = platform.urls.serving;
  });

  afterAll(async () => {
    await platform?.stop();
  });

  const runPipeline = async (pipeline: PipelineSpecInput): Promise<Run> => {
    const run = await waitForRunToFinish(registry, (await submitRun(registry, pipeline)).id);
    if (run.status !== 'succeeded') throw new Error(`run ${run.id} of ${pipeline.name} ${run.status}: ${run.error}`);
    return run;
  };
  const servedVersion = (model: string, version: number) =>
    waitFor(`serving to load ${model} v${version}`, async () => {
      const answer = await getJson<{ versions: string[] }>(`${serving}/v2/models/${model}`);
      return answer.status === 200 && answer.body.versions.includes(String(version)) ? answer.body : undefined;
    });

  it('learns a numeric label as a regression, reports R² on validation and test, and serves predictions in its units', async () => {
    const run = await runPipeline(await pipelineFile('cars-mpg.pipeline.yaml'));
    expect(run.metrics?.test.task).toBe('regression');
    expect(metricOf(run, 'validation.r2')).toBeGreaterThan(0.7);
    expect(metricOf(run, 'test.r2')).toBeGreaterThan(0.6);
    expect(run.modelVersion).not.toBeNull();
    const version = run.modelVersion?.version ?? 0;
    await servedVersion('cars-mpg', version);

    // A heavy 8-cylinder car and a light 4-cylinder one, as a client would send them (one without horsepower).
    const cars = {
      Cylinders: [8, 4],
      Displacement: [400, 97],
      Horsepower: [175, null],
      Weight_in_lbs: [4464, 2130],
      Acceleration: [11.5, 14.5],
      Year: ['1971-01-01', '1982-01-01'],
      Origin: ['USA', 'Japan'],
    };
    const body = { inputs: Object.entries(cars).map(([name, data]) => ({ name, datatype: name === 'Year' || name === 'Origin' ? 'BYTES' : 'FP32', shape: [2], data })) };
    const answer = await postJson<V2InferResponse>(`${serving}/v2/models/cars-mpg/infer`, body);
    expect(answer.status).toBe(200);
    const prediction = answer.body.outputs.find((output) => output.name === REGRESSOR_OUTPUTS.prediction);
    expect(prediction).toMatchObject({ datatype: 'FP32', shape: [2] });
    const [heavy, light] = prediction?.data as number[];
    // Miles per gallon, not standardised units: the light car goes much further on a gallon.
    expect(heavy).toBeGreaterThan(5);
    expect(heavy).toBeLessThan(25);
    expect(light).toBeGreaterThan(heavy ?? Infinity);
    expect(answer.body.parameters?.[INFERENCE_QUALITY_PARAMETERS.imputed]).toBe(1);

    const v1 = await postJson<{ predictions: number[] }>(`${serving}/v1/models/cars-mpg:predict`, {
      instances: [Object.fromEntries(Object.entries(cars).map(([name, values]) => [name, values[0]]))],
    });
    expect(v1.status).toBe(200);
    expect(v1.body.predictions[0]).toBeCloseTo(heavy ?? NaN, 4);
  });

  it("prepares a raw export with missing-value tokens, dates, identifiers and free text, reports every column's fate, and serves rows with gaps and unseen categories", async () => {
    const run = await runPipeline(await pipelineFile('penguins.pipeline.yaml'));
    const columns = run.steps.find((step) => step.kind === 'prepare')?.dataset?.columns ?? [];
    const column = (name: string): ColumnReport => {
      const found = columns.find((c) => c.name === name);
      if (!found) throw new Error(`no report for column "${name}"; reported: ${columns.map((c) => c.name).join(', ')}`);
      return found;
    };
    expect(column('Date Egg').kind).toBe('date');
    expect(column('Individual ID')).toMatchObject({ kind: 'dropped', source: 'inferred', action: expect.stringMatching(/like an identifier/) });
    expect(column('Sample Number')).toMatchObject({ kind: 'dropped', source: 'pipeline' });
    expect(column('Region')).toMatchObject({ kind: 'dropped', action: expect.stringMatching(/constant|one value/i) });
    expect(column('studyName')).toMatchObject({ kind: 'dropped', source: 'pipeline' });
    // `NA` cells are missing values, never a category: the isotope columns stay numeric.
    expect(column('Delta 15 N (o/oo)')).toMatchObject({ kind: 'numeric', action: expect.stringMatching(/median/) });
    expect(column('Delta 15 N (o/oo)').missing).toBeGreaterThan(0);
    expect(column('Sex').kind).toBe('categorical');
    expect(column('Sex').missing).toBeGreaterThan(0);
    expect(metricOf(run, 'test.accuracy')).toBeGreaterThan(0.9);

    const version = run.modelVersion?.version ?? 0;
    await servedVersion('penguins', version);
    const { inputs } = (await getJson<{ inputs: { name: string; datatype: string }[] }>(`${serving}/v2/models/penguins`)).body;
    const before = (await getJson<string>(`${serving}/metrics`)).body;
    const row: Record<string, unknown> = {
      Island: 'Atlantis',
      'Clutch Completion': 'Yes',
      'Date Egg': '2008-11-09',
      'Culmen Length (mm)': null,
      'Culmen Depth (mm)': 18.7,
      'Flipper Length (mm)': 181,
      'Body Mass (g)': 3750,
      Sex: 'MALE',
      'Delta 15 N (o/oo)': 8.9,
      'Delta 13 C (o/oo)': -25.8,
      Comments: 'Nest never observed with full clutch.',
    };
    // Every input is sent, so the one null is the only value imputed.
    expect(inputs.map(({ name }) => name).filter((name) => !(name in row))).toEqual([]);
    const body = { inputs: inputs.map(({ name, datatype }) => ({ name, datatype, shape: [1], data: [row[name]] })) };
    const answer = await postJson<V2InferResponse>(`${serving}/v2/models/penguins/infer`, body);
    expect(answer.status).toBe(200);
    expect(answer.body.parameters).toMatchObject({ [INFERENCE_QUALITY_PARAMETERS.imputed]: 1, [INFERENCE_QUALITY_PARAMETERS.unseen]: 1 });
    const after = (await getJson<string>(`${serving}/metrics`)).body;
    const count = (metrics: string, name: string, feature: string) => sampleValue(metrics, name, { model: 'penguins', feature }) ?? 0;
    expect(count(after, 'slipway_inference_unseen_categories_total', 'Island') - count(before, 'slipway_inference_unseen_categories_total', 'Island')).toBe(1);
    expect(count(after, 'slipway_inference_imputed_values_total', 'Culmen Length (mm)') - count(before, 'slipway_inference_imputed_values_total', 'Culmen Length (mm)')).toBe(1);
  });

  it('raises macro-F1 on an imbalanced label with balanced class weights over the same training without them', async () => {
    const weighted = await pipelineFile('forensic-glass.pipeline.yaml');
    const unweighted = {
      ...weighted,
      name: 'forensic-glass-unweighted',
      steps: (weighted.steps ?? []).map((step) => (step.kind === 'train' ? { ...step, params: { ...step.params, model: { ...step.params.model, classWeight: undefined } } } : step)),
    };
    const [balanced, plain] = [await runPipeline(weighted), await runPipeline(unweighted)];
    expect(metricOf(balanced, 'validation.macroF1')).toBeGreaterThan(metricOf(plain, 'validation.macroF1') + 0.02);
  });

  it('lets a network and a random forest compete on validation, and registers the better one in its own format', async () => {
    const run = await runPipeline(await pipelineFile('glass-network-or-forest.pipeline.yaml'));
    const validationAccuracy = (name: string) => {
      const metrics = run.steps.find((step) => step.name === name)?.metrics;
      const value = metrics ? metricValue(metrics, 'validation.accuracy') : undefined;
      if (value === undefined) throw new Error(`step ${name} of run ${run.id} has no validation accuracy`);
      return value;
    };
    const [network, forest] = [validationAccuracy('network'), validationAccuracy('forest')];
    expect(metricOf(run, 'validation.accuracy')).toBe(Math.max(network, forest));
    const version = await getJson<TrainedModelVersion>(`${registry}/api/models/glass/versions/${run.modelVersion?.version}`);
    expect(version.status).toBe(200);
    // On a tie the first candidate (the network) is kept, as evaluate does.
    expect(version.body).toMatchObject(forest > network ? { format: 'slipway-onnx', backend: 'javascript' } : { format: 'slipway-tfjs' });
  });

  it('serves a random forest as an ONNX tree ensemble: labels and probabilities over V2 and V1, gaps imputed', async () => {
    const pipeline = await pipelineFile('glass-network-or-forest.pipeline.yaml');
    const forestOnly = {
      ...pipeline,
      name: 'glass-forest',
      steps: (pipeline.steps ?? [])
        .filter((step) => step.name !== 'network')
        .map((step) => (step.kind === 'evaluate' ? { ...step, inputs: { models: 'forest' } } : step.kind === 'register' ? { ...step, params: { model: 'glass-forest' } } : step))
        .concat({ name: 'promote', kind: 'promote', inputs: { version: 'register' }, params: { alias: 'production' } }),
    };
    const run = await runPipeline(forestOnly);
    expect(run.backend).toBe('javascript');
    expect(run.epochs.map((epoch) => epoch.epoch)).toEqual(Array.from({ length: 10 }, (_, index) => index + 1));
    const number = run.modelVersion?.version ?? 0;
    await servedVersion('glass-forest', number);
    const metadata = await getJson<V2ModelMetadata>(`${serving}/v2/models/glass-forest`);
    expect(metadata.body.platform).toBe('onnxruntime_onnx');

    // Two fragments as data/fgl.csv holds them (rows 1 and 200), the second with its refractive index missing.
    const fragments = { RI: [3.01, null], Na: [13.64, 15.01], Mg: [4.49, 0], Al: [1.1, 2.51], Si: [71.78, 73.05], K: [0.06, 0.05], Ca: [8.75, 8.83], Ba: [0, 0.53], Fe: [0, 0] };
    const inputs = Object.entries(fragments).map(([name, data]) => ({ name, datatype: 'FP32', shape: [2], data }));
    const answer = await postJson<V2InferResponse>(`${serving}/v2/models/glass-forest/infer`, { inputs });
    expect(answer.status).toBe(200);
    const probabilities = answer.body.outputs.find((output) => output.name === CLASSIFIER_OUTPUTS.probabilities);
    const labels = answer.body.outputs.find((output) => output.name === CLASSIFIER_OUTPUTS.label);
    expect(probabilities).toMatchObject({ datatype: 'FP32', shape: [2, 6] });
    const rows = [0, 1].map((row) => (probabilities?.data as number[]).slice(row * 6, row * 6 + 6));
    for (const row of rows) expect(row.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 5);
    expect(labels?.data).toHaveLength(2);
    expect(answer.body.parameters?.[INFERENCE_QUALITY_PARAMETERS.imputed]).toBe(1);

    const v1 = await postJson<{ predictions: string[] }>(`${serving}/v1/models/glass-forest:predict`, {
      instances: [Object.fromEntries(Object.entries(fragments).map(([name, values]) => [name, values[0]]))],
    });
    expect(v1.status).toBe(200);
    expect(v1.body.predictions[0]).toBe((labels?.data as string[])[0]);
  });
});
