import { gridStepName, pipelineSpecSchema, stepInputs } from '@slipway/contracts';
import { gridPipelineFixture, pipelineSpecFixture } from '../fixtures/registry-fixtures';
import { planRunSteps } from './run-plan';

describe('planRunSteps', () => {
  it('plans one row per step of a pipeline without grids, each with its own params', () => {
    const spec = pipelineSpecFixture();
    const planned = planRunSteps(spec);

    expect(planned.map((p) => [p.name, p.step, p.kind, p.position, p.grid])).toEqual(spec.steps.map((s, i) => [s.name, s.name, s.kind, i, null]));
    for (const [i, step] of spec.steps.entries()) {
      expect(planned[i]?.params).toEqual(step.kind === 'train' ? { model: step.params.model, gpus: step.params.gpus } : step.params);
    }
  });

  it('expands a grid step into one training per point, named by index, with the point applied', () => {
    const learningRates = [0.001, 0.01, 0.1];
    const spec = gridPipelineFixture({ learningRates, gpus: 2 });
    const trainings = planRunSteps(spec).filter((p) => p.step === 'train');

    expect(trainings.map((p) => p.name)).toEqual(learningRates.map((_, i) => gridStepName('train', i)));
    expect(trainings.map((p) => p.grid)).toEqual(learningRates.map((learningRate) => ({ learningRate })));
    const base = spec.steps.find((s) => s.kind === 'train');
    if (base?.kind !== 'train') throw new Error('the grid fixture has no train step');
    expect(trainings.map((p) => p.params)).toEqual(learningRates.map((learningRate) => ({ model: { ...base.params.model, learningRate }, gpus: 2 })));
  });

  it('orders the rows so every step comes after what it reads, positions counting up', () => {
    const spec = gridPipelineFixture();
    const planned = planRunSteps(pipelineSpecSchema.parse({ ...spec, steps: [...spec.steps].reverse() }));

    expect(planned.map((p) => p.position)).toEqual(planned.map((_, i) => i));
    for (const [position, row] of planned.entries()) {
      const step = spec.steps.find((s) => s.name === row.step);
      if (step === undefined) throw new Error(`no step ${row.step}`);
      for (const { from } of stepInputs(step)) {
        expect(planned.filter((p) => p.step === from).every((source) => source.position < position)).toBe(true);
      }
    }
  });
});
