import * as tf from '@tensorflow/tfjs';
import { BackendUnavailableError } from '../errors/backend-unavailable.error';
import { isPermanentMlError } from '../errors/permanent-ml.error';
import { activeBackend, initTensorflow } from './init-tensorflow';

// Jest gives each test file its own module registry, so this file starts with no backend chosen.
describe('initTensorflow', () => {
  it.each([
    ['tensorflow', '@tensorflow/tfjs-node'],
    ['tensorflow-gpu', '@tensorflow/tfjs-node-gpu'],
  ] as const)('explains how to install %s when its package is missing', async (backend, packageName) => {
    const attempt = initTensorflow(backend);
    await expect(attempt).rejects.toBeInstanceOf(BackendUnavailableError);
    const error = await attempt.catch((caught: unknown) => caught);
    expect(error).toMatchObject({ backend, packageName });
    expect((error as Error).message).toContain(`needs the optional package ${packageName}, which is not installed`);
    expect((error as Error).message).toContain(`npm install ${packageName}@${tf.version.tfjs}`);
    expect(isPermanentMlError(error)).toBe(true);
    expect(activeBackend()).toBeUndefined();
  });

  it('falls back to wasm on auto when no native binding is installed, then stays on it', async () => {
    await expect(initTensorflow('auto')).resolves.toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(activeBackend()).toBe('wasm');
    // One backend per thread: later calls report the active one.
    await expect(initTensorflow('cpu')).resolves.toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });

  it('computes on the active backend', async () => {
    await initTensorflow('wasm');
    const product = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync()[0]);
    expect(product).toBe(11);
  });
});
