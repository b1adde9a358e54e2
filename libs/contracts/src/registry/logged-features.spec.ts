import { loggedFeatureColumns } from './logged-features';
import type { TensorSignature } from './model.schema';

const signature = (...inputs: [string, number[]][]): TensorSignature => ({
  inputs: inputs.map(([name, shape]) => ({ name, datatype: 'FP32', shape })),
  outputs: [{ name: 'label', datatype: 'INT64', shape: [-1] }],
});

describe('loggedFeatureColumns', () => {
  it('names a [N] or [N, 1] input after itself and a [N, k] input k columns X[0] … X[k-1]', () => {
    expect(loggedFeatureColumns(signature(['age', [-1]], ['income', [-1, 1]], ['X', [-1, 3]]))).toEqual(['age', 'income', 'X[0]', 'X[1]', 'X[2]']);
  });

  it('has no columns for inputs serving does not log: dynamic or over 32 wide, or of more dimensions', () => {
    expect(loggedFeatureColumns(signature(['dynamic', [-1, -1]], ['embedding', [-1, 33]], ['image', [-1, 28, 28]]))).toEqual([]);
    expect(loggedFeatureColumns(signature(['widest', [-1, 32]]))).toHaveLength(32);
  });
});
