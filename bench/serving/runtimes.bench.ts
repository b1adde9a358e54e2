/**
 * ONNX Runtime against tfjs-wasm for the same function: Slipway's dense classifiers (the iris demo's 4-16-8-3 and a
 * 32-64-64-3), as the tfjs model serving runs and as an ONNX graph of the same weights, one call at a time with 1 and
 * 64 rows, in interleaved rounds. It answers whether Slipway's own models should be served through ONNX Runtime too.
 * Writes bench/results/runtimes.{json,md}. Run: npm run bench:serving (after the serving bench), or
 *   SWC_NODE_PROJECT=bench/serving/tsconfig.json node -r @swc-node/register bench/serving/runtimes.bench.ts
 */
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { networkSpecSchema } from '@slipway/contracts';
import { OnnxModel } from '@slipway/model-runtimes';
import { buildModel, initTensorflow, predictOutputs } from '@slipway/ml';
import { onnxFromDense } from './onnx-from-dense';

const RESULTS_DIR = resolve(__dirname, '../results');
const SHAPES = [
  { name: 'iris demo 4-16-8-3', width: 4, hidden: [16, 8] },
  { name: '32-64-64-3', width: 32, hidden: [64, 64] },
] as const;
const BATCHES = [1, 64] as const;
const ROUNDS = 5;
const CALLS_PER_ROUND = 1_000;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** Microseconds per call, over CALLS_PER_ROUND calls. */
async function timeCalls(call: () => unknown): Promise<number> {
  const started = process.hrtime.bigint();
  for (let index = 0; index < CALLS_PER_ROUND; index += 1) await call();
  return Number(process.hrtime.bigint() - started) / 1_000 / CALLS_PER_ROUND;
}

async function main(): Promise<void> {
  const backend = await initTensorflow('wasm');
  const load = loadavg()[0];
  const results = [];
  for (const shape of SHAPES) {
    const spec = networkSpecSchema.parse({ layers: shape.hidden.map((units) => ({ type: 'dense', units, activation: 'relu' })), epochs: 1 });
    const tfjsModel = buildModel(spec, shape.width, { task: 'classification', classCount: 3 });
    const onnxModel = await OnnxModel.load(onnxFromDense(tfjsModel, shape.width), shape.name);
    for (const rows of BATCHES) {
      const features = Float32Array.from({ length: rows * shape.width }, (_, index) => Math.sin(index) * 2);
      const input = { name: 'features', datatype: 'FP32' as const, shape: [rows, shape.width], data: Array.from(features) };
      const ours = predictOutputs(tfjsModel, features, rows, shape.width);
      const [theirs] = await onnxModel.infer([input]);
      const difference = Math.max(...Array.from(ours, (value, index) => Math.abs(value - Number(theirs?.data[index]))));
      if (!(difference < 1e-5)) throw new Error(`${shape.name}: the two runtimes differ by ${difference}, so they do not compute the same function`);
      const tfjs: number[] = [];
      const onnxRuntime: number[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        tfjs.push(await timeCalls(() => predictOutputs(tfjsModel, features, rows, shape.width)));
        onnxRuntime.push(await timeCalls(() => onnxModel.infer([input])));
      }
      results.push({ shape: shape.name, rows, largestDifference: difference, tfjsMicroseconds: median(tfjs), onnxRuntimeMicroseconds: median(onnxRuntime), speedup: median(tfjs) / median(onnxRuntime) });
    }
    tfjsModel.dispose();
    await onnxModel.dispose();
  }
  const report = { generatedAt: new Date().toISOString(), cpus: cpus().length, loadAtStart: load, tfjsBackend: backend, rounds: ROUNDS, callsPerRound: CALLS_PER_ROUND, results };
  await writeFile(join(RESULTS_DIR, 'runtimes.json'), `${JSON.stringify(report, null, 2)}\n`);
  const table = [
    `# ONNX Runtime against tfjs-${backend} (${report.generatedAt}, ${report.cpus} cores, load ${load.toFixed(2)} at start)`,
    '',
    '| model | rows per call | tfjs µs/call | ONNX Runtime µs/call | ONNX Runtime speed-up | largest difference |',
    '|---|---|---|---|---|---|',
    ...results.map((r) => `| ${r.shape} | ${r.rows} | ${r.tfjsMicroseconds.toFixed(1)} | ${r.onnxRuntimeMicroseconds.toFixed(1)} | ${r.speedup.toFixed(2)}× | ${r.largestDifference.toExponential(1)} |`),
    '',
    `The same weights on both sides; medians of ${ROUNDS} interleaved rounds of ${CALLS_PER_ROUND} calls. tfjs: predictOutputs on a Float32Array, as serving calls it; ONNX Runtime: OnnxModel.infer on a V2 FP32 input, conversion included.`,
  ].join('\n');
  await writeFile(join(RESULTS_DIR, 'runtimes.md'), `${table}\n`);
  console.log(table);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
