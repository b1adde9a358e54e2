import * as tf from '@tensorflow/tfjs';
import { activeBackend, initTensorflow } from './init-tensorflow';

describe('initTensorflow on cpu', () => {
  it('activates the pure-JS cpu backend when asked for it first', async () => {
    await expect(initTensorflow('cpu')).resolves.toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(activeBackend()).toBe('cpu');
  });
});
