import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { V2InferInput, V2InferOutput } from '@slipway/contracts';
import { InferenceInputError } from '../errors/inference-input.error';
import { ModelFormatError } from '../errors/model-format.error';
import { OnnxModel } from './onnx-model';

// Models made by the real exporters and what each framework itself predicted for held-out rows
// (tools/python/onnx-fixtures/make_fixtures.py, which regenerates both).
const FIXTURES = join(__dirname, 'fixtures');

interface ExpectedModel {
  file: string;
  inputs: Record<string, number[][]>;
  classes?: (string | number)[];
  label?: (string | number)[];
  probabilities?: number[][];
  probabilitiesWithSecondFeatureMissing?: number[][];
  prediction?: number[];
  onnxruntimePrediction?: number[];
}

async function fixture(file: string): Promise<{ model: OnnxModel; expected: ExpectedModel }> {
  const { models } = JSON.parse(await readFile(join(FIXTURES, 'expected.json'), 'utf8')) as { models: ExpectedModel[] };
  const expected = models.find((candidate) => candidate.file === file);
  if (!expected) throw new Error(`expected.json has no entry for ${file}`);
  return { model: await OnnxModel.load(await readFile(join(FIXTURES, file)), file), expected };
}

const fp32 = (name: string, rows: number[][]): V2InferInput => ({ name, datatype: 'FP32', shape: [rows.length, rows[0]?.length ?? 0], data: rows.flat() });
const output = (outputs: V2InferOutput[], name: string) => {
  const found = outputs.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no output ${name} in ${outputs.map((candidate) => candidate.name).join(', ')}`);
  return found;
};
const largestDifference = (ours: readonly unknown[], theirs: readonly number[]) => Math.max(...theirs.map((value, index) => Math.abs(Number(ours[index]) - value)));

describe('OnnxModel', () => {
  describe('an XGBoost classifier exported by onnxmltools', () => {
    let model: OnnxModel;
    let expected: ExpectedModel;
    beforeAll(async () => ({ model, expected } = await fixture('xgboost-iris.onnx')));
    afterAll(() => model.dispose());

    it("reads its signature from the model: names, datatypes, the dynamic batch dimension", () => {
      expect(model.signature).toEqual({
        inputs: [{ name: 'features', datatype: 'FP32', shape: [-1, 4] }],
        outputs: [
          { name: 'label', datatype: 'INT64', shape: [-1] },
          { name: 'probabilities', datatype: 'FP32', shape: [-1, 3] },
        ],
      });
    });

    it("predicts XGBoost's own labels and probabilities for held-out rows, within 1e-5", async () => {
      const rows = expected.inputs['features'];
      const outputs = await model.infer([fp32('features', rows)]);
      expect(output(outputs, 'label')).toEqual({ name: 'label', datatype: 'INT64', shape: [rows.length], data: expected.label });
      const probabilities = output(outputs, 'probabilities');
      expect(probabilities.shape).toEqual([rows.length, 3]);
      expect(largestDifference(probabilities.data, expected.probabilities?.flat() ?? [])).toBeLessThan(1e-5);
    });

    it('takes nested data like flat data, and null as a missing value (NaN), as XGBoost itself takes NaN', async () => {
      const rows = expected.inputs['features'];
      const nested = { ...fp32('features', rows), data: rows };
      expect(await model.infer([nested])).toEqual(await model.infer([fp32('features', rows)]));
      const withGaps = fp32('features', rows.map(([first, , ...rest]) => [first, null as unknown as number, ...rest]));
      const probabilities = output(await model.infer([withGaps]), 'probabilities');
      expect(largestDifference(probabilities.data, expected.probabilitiesWithSecondFeatureMissing?.flat() ?? [])).toBeLessThan(1e-5);
      expect(largestDifference(probabilities.data, expected.probabilities?.flat() ?? [])).toBeGreaterThan(1e-3);
    });

    it('names the input at fault: unknown, missing, repeated, another datatype or shape, a value the type cannot hold', async () => {
      const rows = expected.inputs['features'].slice(0, 2);
      const good = fp32('features', rows);
      const cases: [V2InferInput[], RegExp][] = [
        [[{ ...good, name: 'petals' }], /unknown input "petals"; the model's inputs are "features"/],
        [[good, good], /input "features" is given more than once/],
        [[{ ...good, datatype: 'FP64' }], /input "features" is FP64; the model takes FP32/],
        [[{ ...good, shape: [4, 2] }], /input "features" has shape \[4, 2\]; the model takes \[-1, 4\]/],
        [[{ ...good, shape: [8] }], /has shape \[8\]/],
        [[{ ...good, shape: [3, 4] }], /input "features" has 8 values but its shape \[3, 4\] needs 12/],
        [[{ ...good, data: ['a', ...good.data.slice(1)] }], /input "features" value 0 is "a"; FP32 needs numbers/],
      ];
      for (const [inputs, message] of cases) {
        const attempt = model.infer(inputs);
        await expect(attempt).rejects.toBeInstanceOf(InferenceInputError);
        await expect(attempt).rejects.toThrow(message);
      }
      await expect(model.infer([])).rejects.toThrow('input "features" is missing');
    });
  });

  describe("a scikit-learn pipeline exported by skl2onnx's defaults, probabilities through ZipMap", () => {
    let model: OnnxModel;
    let expected: ExpectedModel;
    beforeAll(async () => ({ model, expected } = await fixture('sklearn-iris-pipeline.onnx')));
    afterAll(() => model.dispose());

    it('answers the probabilities as an [N, classes] tensor, with the class labels of its columns', async () => {
      expect(model.signature.outputs).toEqual([
        { name: 'output_label', datatype: 'BYTES', shape: [-1] },
        { name: 'output_probability', datatype: 'FP32', shape: [-1, 3] },
      ]);
      expect(model.classLabels).toEqual({ output_probability: expected.classes });
      const rows = expected.inputs['X'];
      const outputs = await model.infer([fp32('X', rows)]);
      expect(output(outputs, 'output_label').data).toEqual(expected.label);
      const probabilities = output(outputs, 'output_probability');
      expect(probabilities.shape).toEqual([rows.length, 3]);
      expect(largestDifference(probabilities.data, expected.probabilities?.flat() ?? [])).toBeLessThan(1e-5);
    });
  });

  describe('a scikit-learn pipeline (scaler and logistic regression, string classes) exported by skl2onnx with tensor outputs', () => {
    let model: OnnxModel;
    let expected: ExpectedModel;
    beforeAll(async () => ({ model, expected } = await fixture('sklearn-iris-pipeline-tensors.onnx')));
    afterAll(() => model.dispose());

    it("answers scikit-learn's own class names as BYTES and its probabilities within 1e-5", async () => {
      const rows = expected.inputs['X'];
      expect(model.signature.outputs).toEqual([
        { name: 'label', datatype: 'BYTES', shape: [-1] },
        { name: 'probabilities', datatype: 'FP32', shape: [-1, 3] },
      ]);
      const outputs = await model.infer([fp32('X', rows)]);
      expect(output(outputs, 'label').data).toEqual(expected.label);
      expect(largestDifference(output(outputs, 'probabilities').data, expected.probabilities?.flat() ?? [])).toBeLessThan(1e-5);
    });
  });

  describe('a scikit-learn gradient-boosting regressor exported by skl2onnx', () => {
    let model: OnnxModel;
    let expected: ExpectedModel;
    beforeAll(async () => ({ model, expected } = await fixture('sklearn-diabetes-gbr.onnx')));
    afterAll(() => model.dispose());

    it("predicts what onnxruntime in Python predicts within 1e-5, and scikit-learn's float64 sums within float32's precision", async () => {
      const rows = expected.inputs['X'];
      const [variable] = await model.infer([fp32('X', rows)]);
      expect(variable).toMatchObject({ name: 'variable', datatype: 'FP32', shape: [rows.length, 1] });
      expect(largestDifference(variable.data, expected.onnxruntimePrediction ?? [])).toBeLessThan(1e-5);
      const scikitLearn = expected.prediction ?? [];
      const relative = Math.max(...scikitLearn.map((value, index) => Math.abs(Number(variable.data[index]) - value) / Math.abs(value)));
      expect(relative).toBeLessThan(1e-6);
    });
  });

  it('refuses bytes that are not an ONNX model, naming them', async () => {
    const attempt = OnnxModel.load(Buffer.from('not a model'), 'notes.txt');
    await expect(attempt).rejects.toBeInstanceOf(ModelFormatError);
    await expect(attempt).rejects.toThrow(/^notes\.txt is not an ONNX model onnxruntime can run: /);
  });

  it('refuses a model with an output that is not a tensor, naming it', async () => {
    const attempt = OnnxModel.load(await readFile(join(FIXTURES, 'sequence-output.onnx')), 'sequence-output.onnx');
    await expect(attempt).rejects.toThrow(
      new ModelFormatError('sequence-output.onnx: output "pair" is not a tensor but a sequence or a map, which onnxruntime-node cannot pass; export the model with tensor inputs and outputs only'),
    );
  });
});
