import type { NetworkSpec } from '@slipway/contracts';
import { ModelSpecError } from '../errors/model-spec.error';

/**
 * Largest model Slipway builds: 2^28 float32 parameters = 1 GiB of weights. Training holds about four copies
 * (weights, gradients, two Adam moments), and the wasm backend's heap stops at 4 GiB; past that tfjs aborts or the
 * process is killed mid-job, which a retry would only repeat. The schema allows 65,536 units per layer, so two wide
 * layers in a row (65,536² weights) pass it and would hit this.
 */
export const MAX_PARAMETERS = 2 ** 28;

/**
 * Counts the parameters of the model a spec declares (hidden layers plus an output of `outputUnits`) and rejects one over MAX_PARAMETERS before tfjs allocates it.
 * @throws ModelSpecError naming the units of the dense layer that crosses the budget.
 */
export function checkParameterBudget(spec: NetworkSpec, inputWidth: number, outputUnits: number): number {
  let width = inputWidth;
  let total = 0;
  let lastDense = -1;
  const add = (count: number, field: string): void => {
    total += count;
    if (total > MAX_PARAMETERS) {
      throw new ModelSpecError(
        `the model needs ${total.toLocaleString('en-US')}+ parameters at ${field}, over the limit of ` +
          `${MAX_PARAMETERS.toLocaleString('en-US')} (1 GiB of float32 weights); use fewer units`,
        field,
      );
    }
  };
  spec.layers.forEach((layer, index) => {
    if (layer.type === 'dense') {
      add((width + 1) * layer.units, `layers.${index}.units`);
      width = layer.units;
      lastDense = index;
    } else if (layer.type === 'batchNormalization') {
      // gamma, beta, moving mean, moving variance
      add(4 * width, `layers.${index}`);
    }
  });
  add((width + 1) * outputUnits, lastDense >= 0 ? `layers.${lastDense}.units` : 'layers');
  return total;
}
